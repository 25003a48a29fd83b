using StoreProvisioning.Charts.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>
/// Tenant isolation belongs to the platform chart (helm/store-namespace), which the control plane renders and applies
/// to each store namespace: Pod Security labels, ResourceQuota and LimitRange of the plan, and NetworkPolicies. The
/// tenant charts carry none of it and no value can switch it off.
/// </summary>
public class IsolationTests
{
    private static readonly string[] IsolationKinds = ["ResourceQuota", "LimitRange", "NetworkPolicy"];
    private static readonly Dictionary<string, string> WebComponent = new() { ["woocommerce"] = "wordpress", ["medusa"] = "server" };
    private static readonly Dictionary<string, string> PlatformCi = new() { ["woocommerce"] = "woocommerce-values.yaml", ["medusa"] = "medusa-values.yaml" };

    public static TheoryData<string, string> VersionsAndPlatformCiFiles()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var f in Helm.CiValuesFiles(Helm.PlatformChart))
                d.Add(v, f);
        return d;
    }

    public static TheoryData<string, string> VersionsAndPlans()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var p in Helm.Plans())
                d.Add(v, p);
        return d;
    }

    /// <summary>Platform render for an engine, with the internet opt-in off unless asked for.</summary>
    private static List<K8sObject> Platform(string helm, string engine, params string[] extra) =>
        Manifests.Parse(Helm.TemplatePlatform(helm, PlatformCi[engine], "small",
            ["--set", "networkPolicy.allowAppInternetEgress=false", .. extra]).StdOut);

    // The tenant charts render no isolation object for any ci values file.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Tenant_charts_render_no_isolation_objects(string helm, string chart, string ciFile)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut);
        Assert.DoesNotContain(objects, o => IsolationKinds.Contains(o.Kind) || o.Kind == "Namespace");
    }

    // A tenant's values cannot switch isolation on or off: the old switches are unknown keys, refused by the schema.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Tenant_values_cannot_switch_isolation(string helm, string chart)
    {
        foreach (var flag in new[] { "quota.enabled=false", "limitRange.enabled=false", "networkPolicy.enabled=false", "networkPolicy.allowAppInternetEgress=true" })
        {
            var r = Helm.Run(helm, "template", "acme", Helm.ChartDir(chart), "-n", "store-acme", "-f", Helm.FixturePath(chart), "--set", flag);
            Assert.True(r.ExitCode != 0, $"{flag} was accepted\n{r.Describe()}");
            Assert.Contains("schema", r.StdErr);
            Assert.Contains(flag.Split('.')[0], r.StdErr);
        }
    }

    // Every platform ci file renders the Namespace, quota and limits; NetworkPolicies unless the operator switched
    // network isolation off (clusters without a NetworkPolicy engine) — and only then.
    [Theory]
    [MemberData(nameof(VersionsAndPlatformCiFiles))]
    public void Platform_renders_isolation_and_only_the_operator_switch_removes_network_policies(string helm, string ciFile)
    {
        var objects = Manifests.Parse(Helm.TemplatePlatform(helm, ciFile).StdOut);
        Assert.Single(objects, o => o.Kind == "Namespace");
        Assert.Single(objects, o => o.Kind == "ResourceQuota");
        Assert.Single(objects, o => o.Kind == "LimitRange");
        var disabled = Manifests.LoadMapping(Helm.CiValuesPath(Helm.PlatformChart, ciFile)).Str("networkPolicy", "enabled") == "false";
        if (disabled) Assert.DoesNotContain(objects, o => o.Kind == "NetworkPolicy");
        else Assert.Contains(objects, o => o.Kind == "NetworkPolicy");
        // The control plane's RoleBinding only where its access settings are given (in the cluster), never otherwise.
        var access = Manifests.LoadMapping(Helm.CiValuesPath(Helm.PlatformChart, ciFile)).Str("controlPlaneAccess", "clusterRole");
        Assert.Equal(string.IsNullOrEmpty(access) ? 0 : 1, objects.Count(o => o.Kind == "RoleBinding"));
        Assert.All(objects, o => Assert.Contains(o.Kind, (string[])["Namespace", "RoleBinding", .. IsolationKinds]));
        Assert.All(objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal("store-acme", o.Root.Str("metadata", "namespace")));
        Assert.All(objects, o => Assert.Equal("store-provisioning", o.Labels["app.kubernetes.io/managed-by"]));
    }

    // The namespace enforces, audits and warns Pod Security "restricted" pinned to a version, and carries the store's name and id.
    [Theory]
    [MemberData(nameof(VersionsAndPlatformCiFiles))]
    public void Namespace_enforces_restricted_and_names_its_store(string helm, string ciFile)
    {
        var values = Manifests.LoadMapping(Helm.CiValuesPath(Helm.PlatformChart, ciFile));
        var ns = Assert.Single(Manifests.Parse(Helm.TemplatePlatform(helm, ciFile).StdOut), o => o.Kind == "Namespace");
        Assert.Equal("store-acme", ns.Name);
        var labels = ns.Labels;
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", labels[$"pod-security.kubernetes.io/{mode}"]);
            Assert.Matches(@"^v1\.[0-9]+$", labels[$"pod-security.kubernetes.io/{mode}-version"]);
        }
        Assert.Equal("acme", labels["store-provisioning.io/store"]);
        Assert.Equal(values.Str("store", "id"), labels["store-provisioning.io/store-id"]);
        Assert.Equal(values.Str("store", "engine"), labels["store-provisioning.io/engine"]);
        Assert.Equal("small", labels["store-provisioning.io/plan"]);
    }

    // Each plan gives containers default requests and limits and caps compute and storage; no LoadBalancer or NodePort, whatever the plan.
    [Theory]
    [MemberData(nameof(VersionsAndPlans))]
    public void Quota_and_limit_range_follow_the_plan(string helm, string plan)
    {
        var objects = Manifests.Parse(Helm.TemplatePlatform(helm, "woocommerce-values.yaml", plan).StdOut);
        var planValues = Manifests.LoadMapping(Helm.PlanPath(plan));
        var lr = Assert.Single(objects, o => o.Kind == "LimitRange");
        var item = (YamlMappingNode)((YamlSequenceNode)lr.Root.Get("spec", "limits")!).Children[0];
        Assert.Equal("Container", item.Str("type"));
        foreach (var section in new[] { "default", "defaultRequest", "max" })
            foreach (var res in new[] { "cpu", "memory" })
            {
                Assert.False(string.IsNullOrEmpty(item.Str(section, res)), $"LimitRange {section}.{res} missing");
                Assert.Equal(Quantity.Parse(planValues.Str("plan", "limitRange", section, res)!), Quantity.Parse(item.Str(section, res)!));
            }
        var quota = Assert.Single(objects, o => o.Kind == "ResourceQuota").Root.Get("spec", "hard").AsStringMap();
        foreach (var key in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "requests.storage", "persistentvolumeclaims", "pods", "services" })
        {
            Assert.True(quota.ContainsKey(key), $"ResourceQuota hard.{key} missing");
            Assert.Equal(Quantity.Parse(planValues.Str("plan", "quota", key)!), Quantity.Parse(quota[key]));
        }
        Assert.Equal("0", quota["services.loadbalancers"]);
        Assert.Equal("0", quota["services.nodeports"]);
        Assert.Equal(plan, Assert.Single(objects, o => o.Kind == "Namespace").Labels["store-provisioning.io/plan"]);
    }

    // The network policies: default deny in+out, DNS to kube-system only, the web pod only from the ingress controller's
    // namespace (and the store's own callers), data stores only from the store's own pods, internet only for the setup Job.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Network_policies_deny_by_default_and_allow_only_the_needed_paths(string helm, string engine)
    {
        var policies = Platform(helm, engine, "--set", "networkPolicy.ingressControllerNamespace=kube-system").Where(o => o.Kind == "NetworkPolicy").ToList();

        var deny = Assert.Single(policies, p => p.Root.Get("spec", "podSelector") is YamlMappingNode { Children.Count: 0 }
                                                && p.Root.Get("spec", "ingress") is null && p.Root.Get("spec", "egress") is null);
        Assert.Equal(["Ingress", "Egress"], ((YamlSequenceNode)deny.Root.Get("spec", "policyTypes")!).Children.Select(c => c.ToString()));

        var dns = Assert.Single(policies, p => p.Raw.Contains("port: 53"));
        Assert.Contains("kubernetes.io/metadata.name: \"kube-system\"", dns.Raw);
        Assert.Contains("protocol: UDP", dns.Raw);
        Assert.Contains("protocol: TCP", dns.Raw);

        var web = WebComponent[engine];
        var webIngress = Assert.Single(policies, p => p.Root.Str("spec", "podSelector", "matchLabels", "app.kubernetes.io/component") == web
                                                      && p.Root.Get("spec", "ingress") is not null);
        var from = (YamlSequenceNode)webIngress.Root.Get("spec", "ingress")!;
        Assert.Contains(from.Children.SelectMany(r => ((YamlSequenceNode)r.Get("from")!).Children),
            peer => peer.Str("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "kube-system");

        // Data stores accept traffic only from pods of this store (podSelector peers, no namespaceSelector/ipBlock).
        var dataComponents = engine == "woocommerce" ? new[] { "mariadb" } : ["postgresql", "redis"];
        foreach (var comp in dataComponents)
        {
            var p = Assert.Single(policies, p => p.Root.Str("spec", "podSelector", "matchLabels", "app.kubernetes.io/component") == comp);
            var peers = ((YamlSequenceNode)p.Root.Get("spec", "ingress")!).Children.SelectMany(r => ((YamlSequenceNode)r.Get("from")!).Children).ToList();
            Assert.All(peers, peer => Assert.True(peer.Get("podSelector") is not null && peer.Get("namespaceSelector") is null && peer.Get("ipBlock") is null, $"{p.Id} allows a non-pod peer"));
        }

        // Internet egress (ipBlock) only for the WooCommerce setup Job; Medusa needs none by default.
        var internet = policies.Where(p => p.Raw.Contains("ipBlock")).ToList();
        if (engine == "woocommerce")
        {
            var p = Assert.Single(internet);
            Assert.Contains("setup", p.Raw);
            Assert.DoesNotContain("\"wordpress\"", p.Root.Get("spec", "podSelector")!.ToString());
        }
        else Assert.Empty(internet);
    }

    // The platform's policies fit the tenant chart's real pods: every connection a store needs is allowed and nothing
    // else is — not the metadata address, not the API server, not the control plane, not another store.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Policies_allow_what_the_store_needs_and_nothing_else(string helm, string engine)
    {
        var net = new NetworkModel(Platform(helm, engine, "--set", "networkPolicy.ingressControllerNamespace=kube-system",
            "--set", "networkPolicy.apiServerCidrs={203.0.113.10/32}"));
        var pods = StorePods(helm, engine);
        Endpoint P(string component) => pods[component].Pod;
        int Port(string component) => pods[component].Port ?? throw new InvalidOperationException($"{component} exposes no port");

        var ingressController = Endpoint.Pod("traefik", "kube-system", "10.42.9.1", ("app.kubernetes.io/name", "traefik"));
        var dnsPod = Endpoint.Pod("coredns", "kube-system", "10.42.9.2", ("k8s-app", "kube-dns"));
        var otherSystemPod = Endpoint.Pod("metrics-server", "kube-system", "10.42.9.3", ("k8s-app", "metrics-server"));
        var controlPlane = Endpoint.Pod("store-provisioning", "store-system", "10.42.5.5", ("app.kubernetes.io/name", "store-provisioning"));
        var otherStore = Endpoint.Pod("other-web", "store-other", "10.42.7.7",
            ("app.kubernetes.io/name", engine), ("app.kubernetes.io/instance", "other"), ("app.kubernetes.io/component", WebComponent[engine]));
        var metadata = Endpoint.External("cloud metadata", "169.254.169.254");
        var apiServer = Endpoint.External("API server", "203.0.113.10");
        var apiService = Endpoint.External("kubernetes Service", "10.43.0.1");
        var internet = Endpoint.External("wordpress.org", "198.143.164.252");

        var web = WebComponent[engine];
        var (dataStores, webClients, internetUsers) = engine == "woocommerce"
            ? (new Dictionary<string, string[]> { ["mariadb"] = ["wordpress", "setup"] }, new[] { "test" }, new[] { "setup" })
            : (new Dictionary<string, string[]> { ["postgresql"] = ["server", "admin-user"], ["redis"] = ["server", "admin-user"] }, new[] { "admin-user", "test" }, Array.Empty<string>());

        var must = new List<(Endpoint From, Endpoint To, int Port, string Protocol)>
        {
            (ingressController, P(web), Port(web), "TCP"),
        };
        must.AddRange(webClients.Select(c => (P(c), P(web), Port(web), "TCP")));
        foreach (var (db, clients) in dataStores) must.AddRange(clients.Select(c => (P(c), P(db), Port(db), "TCP")));
        foreach (var pod in pods.Values) must.AddRange([(pod.Pod, dnsPod, 53, "UDP"), (pod.Pod, dnsPod, 53, "TCP")]);
        must.AddRange(internetUsers.Select(c => (P(c), internet, 443, "TCP")));

        var mustNot = new List<(Endpoint From, Endpoint To, int Port, string Protocol)>
        {
            (ingressController, P(web), 22, "TCP"),
            (otherStore, P(web), Port(web), "TCP"),
            (P(web), otherStore, Port(web), "TCP"),
            (P(web), internet, 443, "TCP"),
        };
        foreach (var db in dataStores.Keys)
        {
            mustNot.Add((ingressController, P(db), Port(db), "TCP"));
            mustNot.Add((P(db), internet, 443, "TCP"));
            mustNot.AddRange(pods.Keys.Where(c => !dataStores[db].Contains(c) && c != db).Select(c => (P(c), P(db), Port(db), "TCP")));
        }
        foreach (var pod in pods.Values)
        {
            mustNot.AddRange([
                (pod.Pod, metadata, 80, "TCP"), (pod.Pod, metadata, 443, "TCP"),
                (pod.Pod, apiServer, 443, "TCP"), (pod.Pod, apiServer, 6443, "TCP"), (pod.Pod, apiService, 443, "TCP"),
                (pod.Pod, controlPlane, 80, "TCP"), (pod.Pod, controlPlane, 443, "TCP"), (pod.Pod, controlPlane, 53, "UDP"),
                (pod.Pod, otherSystemPod, 53, "UDP"), (pod.Pod, dnsPod, 80, "TCP"),
            ]);
        }

        var wrong = must.Where(c => !net.Allows(c.From, c.To, c.Port, c.Protocol)).Select(c => $"denied but needed: {c.From} -> {c.To}:{c.Port}/{c.Protocol}")
            .Concat(mustNot.Where(c => net.Allows(c.From, c.To, c.Port, c.Protocol)).Select(c => $"allowed but must be blocked: {c.From} -> {c.To}:{c.Port}/{c.Protocol}"))
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    // The operator's internet opt-in opens public addresses on 80/443 for the web pod — never the API server, the
    // operator's blocked CIDRs or the metadata address.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void App_internet_opt_in_still_excludes_api_server_blocked_cidrs_and_metadata(string helm, string engine)
    {
        var net = new NetworkModel(Manifests.Parse(Helm.TemplatePlatform(helm, PlatformCi[engine], "small",
            "--set", "networkPolicy.allowAppInternetEgress=true", "--set", "networkPolicy.apiServerCidrs={198.51.100.7/32}",
            "--set", "networkPolicy.blockedCidrs={203.0.113.0/24}").StdOut));
        var web = StorePods(helm, engine)[WebComponent[engine]].Pod;
        Assert.True(net.Allows(web, Endpoint.External("payments", "198.143.164.252"), 443));
        Assert.False(net.Allows(web, Endpoint.External("payments", "198.143.164.252"), 25));
        Assert.False(net.Allows(web, Endpoint.External("API server", "198.51.100.7"), 443));
        Assert.False(net.Allows(web, Endpoint.External("blocked", "203.0.113.99"), 443));
        Assert.False(net.Allows(web, Endpoint.External("metadata", "169.254.169.254"), 80));
        Assert.False(net.Allows(web, Endpoint.External("private", "10.0.0.5"), 443));
    }

    // The chart refuses renders that would isolate the wrong namespace or leave a hole, with a message saying what to fix.
    [Theory]
    [InlineData(Helm.V3)]
    [InlineData(Helm.V4)]
    public void Platform_refuses_unsafe_settings_with_a_clear_message(string helm)
    {
        var cases = new (string[] Args, string Expect)[]
        {
            (["--namespace", "kube-system"], "render with --namespace store-acme"),
            (["--set", "networkPolicy.apiServerCidrs=null"], "networkPolicy.apiServerCidrs is empty"),
            (["--set", "networkPolicy.controlPlaneNamespace=kube-system", "--set", "networkPolicy.dns.podLabelKey="], "networkPolicy.dns.podLabelKey is empty"),
            (["--set", "store.engine=ghost"], "engine"),
            (["--set", "networkPolicy.apiServerCidrs={10.0.0.0/33}"], "apiServerCidrs"),
        };
        foreach (var (args, expect) in cases)
        {
            var r = Helm.Run(helm, ["template", "acme", Helm.ChartDir(Helm.PlatformChart), "--namespace", "store-acme",
                "-f", Helm.PlanPath("small"), "-f", Helm.CiValuesPath(Helm.PlatformChart, "woocommerce-values.yaml"), .. args]);
            Assert.True(r.ExitCode != 0, $"{string.Join(' ', args)} was accepted\n{r.Describe()}");
            Assert.Contains(expect, r.StdErr);
        }
        var noPlan = Helm.Run(helm, "template", "acme", Helm.ChartDir(Helm.PlatformChart), "--namespace", "store-acme",
            "-f", Helm.CiValuesPath(Helm.PlatformChart, "woocommerce-values.yaml"));
        Assert.True(noPlan.ExitCode != 0 && noPlan.StdErr.Contains("plan", StringComparison.Ordinal), noPlan.Describe());
    }

    // Each plan holds the tenant chart's default store: all pods (a rolling update's surge, the hook Job and the helm
    // test pod included) fit the quota, and no container's limit is above the LimitRange maximum.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Every_plan_holds_the_default_store(string helm, string engine)
    {
        var store = Manifests.Parse(Helm.TemplateCi(helm, engine, "default-values.yaml").StdOut);
        decimal Sum(string section, string resource) => store.Where(o => o.PodSpec is not null).Sum(o =>
        {
            var spec = o.PodSpec!;
            decimal Of(string key) => spec.Get(key) is YamlSequenceNode s
                ? s.Children.Select(c => Quantity.Parse(c.Str("resources", section, resource) ?? "0")).DefaultIfEmpty(0).Sum() : 0;
            decimal MaxInit() => spec.Get("initContainers") is YamlSequenceNode s
                ? s.Children.Select(c => Quantity.Parse(c.Str("resources", section, resource) ?? "0")).DefaultIfEmpty(0).Max() : 0;
            var perPod = Math.Max(Of("containers"), MaxInit());
            var replicas = int.Parse(o.Root.Str("spec", "replicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            var surge = o.Kind == "Deployment" && o.Root.Str("spec", "strategy", "type") != "Recreate" ? (int)Math.Ceiling(replicas * 0.25) : 0;
            return perPod * (replicas + surge);
        });
        var storage = store.Where(o => o.Kind == "PersistentVolumeClaim").Sum(o => Quantity.Parse(o.Root.Str("spec", "resources", "requests", "storage")!))
                      + store.Where(o => o.Kind == "StatefulSet").Sum(o => ((YamlSequenceNode)o.Root.Get("spec", "volumeClaimTemplates")!).Children
                          .Sum(t => Quantity.Parse(t.Str("spec", "resources", "requests", "storage")!)));
        var podCount = store.Where(o => o.PodSpec is not null).Sum(o => int.Parse(o.Root.Str("spec", "replicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture) + (o.Kind == "Deployment" ? 1 : 0));

        foreach (var plan in Helm.Plans())
        {
            var values = Manifests.LoadMapping(Helm.PlanPath(plan));
            decimal Q(string key) => Quantity.Parse(values.Str("plan", "quota", key)!);
            foreach (var (section, resource) in new[] { ("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory") })
                Assert.True(Sum(section, resource) <= Q($"{section}.{resource}"), $"plan {plan}: the store needs {section}.{resource} {Sum(section, resource)}, quota {Q($"{section}.{resource}")}");
            Assert.True(storage <= Q("requests.storage"), $"plan {plan}: storage {storage} > quota");
            Assert.True(podCount <= Q("pods"), $"plan {plan}: {podCount} pods > quota");
            foreach (var o in store)
                foreach (var (_, c) in o.Containers())
                    foreach (var resource in new[] { "cpu", "memory" })
                        Assert.True(Quantity.Parse(c.Str("resources", "limits", resource)!) <= Quantity.Parse(values.Str("plan", "limitRange", "max", resource)!),
                            $"plan {plan}: {o.ContainerId(c)} limits.{resource} above the LimitRange max");
        }
    }

    /// <summary>The tenant chart's pods by component, with the port they serve (their first container port).</summary>
    private static Dictionary<string, (Endpoint Pod, int? Port)> StorePods(string helm, string engine)
    {
        var result = new Dictionary<string, (Endpoint, int?)>();
        var ip = 10;
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, engine, "default-values.yaml").StdOut).Where(o => o.PodSpec is not null))
        {
            var labels = o.Root.Get(o.Kind == "Pod" ? ["metadata", "labels"] : ["spec", "template", "metadata", "labels"]).AsStringMap();
            var component = labels["app.kubernetes.io/component"];
            var port = ((o.PodSpec!.Get("containers") as YamlSequenceNode)?.Children.FirstOrDefault()?.Get("ports") as YamlSequenceNode)
                ?.Children.FirstOrDefault()?.Str("containerPort");
            result[component] = (new Endpoint(component, "store-acme", labels, $"10.42.0.{ip++}"), port is null ? null : int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        }
        return result;
    }
}
