using System.Reflection;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Stores;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>
/// The control plane's RBAC is exactly what the code and the store charts need: derived here from the kinds the store
/// charts render (helm template under helm 3 and helm 4), the platform isolation kinds, and the verbs of every helm and
/// kubectl argument list the app builds. A missing permission or an extra one fails.
/// </summary>
public class RbacTests
{
    private readonly record struct Permission(string Group, string Resource, string Verb)
    {
        public override string ToString() => $"{(Group == "" ? "core" : Group)}/{Resource}:{Verb}";
    }

    /// <summary>Kinds a store namespace holds even when a store chart does not render them itself: the platform isolation objects.</summary>
    private static readonly (string Group, string Kind)[] IsolationKinds = [("networking.k8s.io", "NetworkPolicy"), ("", "ResourceQuota"), ("", "LimitRange")];

    /// <summary>kubectl's "all" category (what `kubectl get all` lists).</summary>
    private static readonly (string Group, string Resource)[] AllCategory =
    [
        ("", "pods"), ("", "replicationcontrollers"), ("", "services"), ("apps", "daemonsets"), ("apps", "deployments"),
        ("apps", "replicasets"), ("apps", "statefulsets"), ("autoscaling", "horizontalpodautoscalers"), ("batch", "cronjobs"), ("batch", "jobs"),
    ];

    private static readonly string[] ChartObjectVerbs = ["create", "delete", "get", "list", "patch", "watch"];

    // Proves the store-namespace ClusterRole grants exactly the derived namespaced permissions.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Store_namespace_role_is_exactly_what_helm_and_kubectl_need(string helm, string ciFile)
    {
        var (namespaced, _, _) = Required(helm, ciFile);
        var role = ControlPlaneChart.RenderCi(helm, ciFile).Single("ClusterRole", "-store-namespace");
        AssertSameSet(namespaced, Granted(role, out var named), role.Id);
        Assert.Empty(named);
    }

    // Proves the cluster-scope ClusterRole grants only namespaces and the RoleBinding the app applies with each store
    // namespace (before it has any right inside it), with `bind` on the ClusterRole that RoleBinding names alone —
    // which is the store-namespace ClusterRole.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Cluster_role_is_exactly_namespaces_and_binding_the_store_role(string helm, string ciFile)
    {
        var (_, cluster, bound) = Required(helm, ciFile);
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        var role = objects.Single("ClusterRole", "-namespaces");
        var storeRole = objects.Single("ClusterRole", "-store-namespace").Name;
        var granted = Granted(role, out var named);
        granted.UnionWith(named.Where(n => n.Permission.Resource == "endpoints").Select(n => n.Permission)); // by name, checked below
        AssertSameSet(cluster, granted, role.Id);
        Assert.Contains(new Permission("rbac.authorization.k8s.io", "rolebindings", "create"), cluster);
        Assert.Equal(2, named.Count);
        var bind = Assert.Single(named, n => n.Permission.Resource == "clusterroles");
        Assert.Equal(new Permission("rbac.authorization.k8s.io", "clusterroles", "bind"), bind.Permission);
        Assert.Equal([storeRole], bound);
        Assert.Equal(bound, bind.Names);
        // Reading the API server's endpoints (outside every store namespace) is limited to the one object by name.
        var endpoints = Assert.Single(named, n => n.Permission.Resource == "endpoints");
        Assert.Equal(new Permission("", "endpoints", "get"), endpoints.Permission);
        Assert.Equal(["kubernetes"], endpoints.Names);
    }

    // Proves nothing else grants anything: one ClusterRoleBinding (to the namespaces role), no Role/RoleBinding, no
    // wildcard, no escalate/impersonate, and the store-namespace role is never bound cluster-wide.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void No_other_grants(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        Assert.DoesNotContain(objects, o => o.Kind is "Role" or "RoleBinding");
        Assert.Equal(2, objects.Count(o => o.Kind == "ClusterRole"));
        var binding = Assert.Single(objects, o => o.Kind == "ClusterRoleBinding");
        Assert.EndsWith("-namespaces", binding.Root.Str("roleRef", "name"));
        foreach (var rule in objects.Where(o => o.Kind == "ClusterRole").SelectMany(r => r.Root.Get("rules").Items()))
            foreach (var key in new[] { "apiGroups", "resources", "verbs" })
                foreach (var v in rule.Get(key).Strings())
                    Assert.False(v.Contains('*') || v is "escalate" or "impersonate", $"{key} {v}");
    }

    // Proves the admission policies hold this ServiceAccount to namespaces named store-* with the label the code
    // writes, and its RoleBindings to those namespaces, the store-namespace ClusterRole and itself.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Admission_policies_restrict_the_service_account_to_labelled_store_namespaces(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        var sa = objects.Single("Deployment", "-functions").PodSpec!.Str("serviceAccountName");
        var storeRole = objects.Single("ClusterRole", "-store-namespace").Name;

        // The name prefix and the label are the ones the app's namespace manifest carries.
        var manifest = new YamlStream();
        manifest.Load(new StringReader(PlatformApplyPhases.Split(PlatformRender(helm, objects)).Access));
        var label = manifest.Documents[0].RootNode.Get("metadata", "labels").AsStringMap()["app.kubernetes.io/managed-by"];
        Assert.StartsWith("store-", manifest.Documents[0].RootNode.Str("metadata", "name"));

        var namespaces = Policy(objects, "-store-namespaces", "namespaces", sa!);
        Assert.Contains("variables.target.metadata.name.startsWith('store-')", namespaces);
        Assert.Contains($"variables.target.metadata.labels['app.kubernetes.io/managed-by'] == '{label}'", namespaces);
        Assert.Contains($"request.operation != 'UPDATE' || (has(oldObject.metadata.labels) && 'app.kubernetes.io/managed-by' in oldObject.metadata.labels && oldObject.metadata.labels['app.kubernetes.io/managed-by'] == '{label}')", namespaces);

        var bindings = Policy(objects, "-store-rolebindings", "rolebindings", sa!);
        Assert.Contains("namespaceObject.metadata.name.startsWith('store-')", bindings);
        Assert.Contains($"namespaceObject.metadata.labels['app.kubernetes.io/managed-by'] == '{label}'", bindings);
        Assert.Contains($"variables.binding.roleRef.kind == 'ClusterRole' && variables.binding.roleRef.name == '{storeRole}'", bindings);
        Assert.Contains($"s.kind == 'ServiceAccount' && s.name == '{sa}' && s.__namespace__ == '{ControlPlaneChart.Namespace}'", bindings);
    }

    /// <summary>Asserts one policy + binding pair for the resource and this ServiceAccount; returns its validation expressions.</summary>
    private static string Policy(List<K8sObject> objects, string suffix, string resource, string serviceAccount)
    {
        var policy = objects.Single("ValidatingAdmissionPolicy", suffix);
        Assert.Equal("admissionregistration.k8s.io/v1", policy.Root.Str("apiVersion"));
        Assert.Equal("Fail", policy.Root.Str("spec", "failurePolicy"));
        var binding = objects.Single("ValidatingAdmissionPolicyBinding", suffix);
        Assert.Equal("admissionregistration.k8s.io/v1", binding.Root.Str("apiVersion"));
        Assert.Equal(policy.Name, binding.Root.Str("spec", "policyName"));
        Assert.Equal(["Deny"], binding.Root.Get("spec", "validationActions").Strings());
        var rule = Assert.Single(policy.Root.Get("spec", "matchConstraints", "resourceRules").Items());
        Assert.Equal([resource], rule.Get("resources").Strings());
        Assert.Equal(["CREATE", "UPDATE", "DELETE"], rule.Get("operations").Strings());
        var condition = Assert.Single(policy.Root.Get("spec", "matchConditions").Items()).Str("expression");
        Assert.Equal($"request.userInfo.username == 'system:serviceaccount:{ControlPlaneChart.Namespace}:{serviceAccount}'", condition);
        // CEL reserves words such as `namespace`: a variable so named would not compile in the API server.
        string[] reserved = ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while", "in", "null", "true", "false"];
        foreach (var variable in policy.Root.Get("spec", "variables").Items())
            Assert.DoesNotContain(variable.Str("name"), reserved);
        var expressions = string.Join("\n", policy.Root.Get("spec", "validations").Items().Select(v => v.Str("expression")));
        foreach (var word in reserved)
            Assert.DoesNotMatch($@"\.{word}\b", expressions); // a field so named must be written .__{word}__
        return expressions;
    }

    // Proves the derivation itself notices what it must: every argv builder is accounted for, and a helm/kubectl call
    // it does not know fails instead of being ignored.
    [Fact]
    public void Every_argument_builder_is_accounted_for()
    {
        static IEnumerable<string> Builders(Type t) => t.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(IReadOnlyList<string>)).Select(m => m.Name).Order(StringComparer.Ordinal);
        Assert.Equal(HelmCalls().Select(c => c.Builder).Distinct().Order(StringComparer.Ordinal), Builders(typeof(HelmArguments)));
        Assert.Equal(KubectlCalls().Select(c => c.Builder).Distinct().Order(StringComparer.Ordinal), Builders(typeof(KubectlArguments)));
        Assert.Throws<InvalidOperationException>(() => HelmNeeds(["test", "acme"], [], out _));
        Assert.Throws<InvalidOperationException>(() => KubectlNeeds(["exec", "pod", "--", "sh"]));
    }

    private static void AssertSameSet(IReadOnlySet<Permission> required, IReadOnlySet<Permission> granted, string what)
    {
        var missing = required.Except(granted).Select(p => p.ToString()).Order().ToList();
        var extra = granted.Except(required).Select(p => p.ToString()).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: missing [{string.Join(", ", missing)}]; granted beyond what the code and charts need [{string.Join(", ", extra)}]");
    }

    private static HashSet<Permission> Granted(K8sObject role, out List<(Permission Permission, List<string> Names)> named)
    {
        var set = new HashSet<Permission>();
        named = [];
        foreach (var rule in role.Root.Get("rules").Items())
        {
            var names = rule.Get("resourceNames").Strings().ToList();
            foreach (var g in rule.Get("apiGroups").Strings())
                foreach (var r in rule.Get("resources").Strings())
                    foreach (var v in rule.Get("verbs").Strings())
                    {
                        if (names.Count > 0) named.Add((new Permission(g, r, v), names));
                        else set.Add(new Permission(g, r, v));
                    }
        }
        return set;
    }

    // ---- the derivation ------------------------------------------------------------------------------------------

    private static readonly Lazy<HashSet<(string Group, string Resource)>> ChartKinds =
        new(() => StoreChartKinds(includeTestHooks: HelmCalls().Any(c => c.Args[0] == "test")));

    /// <summary>
    /// What the app needs with the settings this render of helm/control-plane gives it: namespaced (inside a store
    /// namespace, through the RoleBinding), cluster-wide, and the ClusterRoles it must be allowed to `bind`.
    /// </summary>
    private static (HashSet<Permission> Namespaced, HashSet<Permission> Cluster, List<string> Bound) Required(string helm, string ciFile)
    {
        var namespaced = new HashSet<Permission>();
        var cluster = new HashSet<Permission>();
        foreach (var call in HelmCalls())
            (call.Args.Contains("--all-namespaces") ? cluster : namespaced).UnionWith(HelmNeeds(call.Args, ChartKinds.Value, out _));
        var bound = new List<string>();
        foreach (var call in KubectlCalls(PlatformRender(helm, ControlPlaneChart.RenderCi(helm, ciFile))))
            foreach (var (scope, p, name) in KubectlNeeds(call.Args))
            {
                if (name is not null) bound.Add(name);
                else (scope == "cluster" ? cluster : namespaced).Add(p);
            }
        return (namespaced, cluster, bound.Distinct().ToList());
    }

    /// <summary>
    /// The platform chart as the app renders it under this control-plane render: its settings ConfigMap read by the
    /// app's own options reader, <see cref="PlatformValues"/>, and helm template of helm/store-namespace.
    /// </summary>
    private static string PlatformRender(string helm, List<K8sObject> controlPlane)
    {
        var settings = controlPlane.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build();
        var options = StoreProvisioningOptions.FromConfiguration(configuration, Path.GetTempPath());
        Assert.NotNull(options.StoreNamespaceClusterRole); // the chart always sets it: in the cluster the app binds its role
        var store = new Store
        {
            Id = "0f8e3c2a9b7d4e6f8a1b2c3d4e5f6a7b", Name = "acme", UserId = "alice", Engine = StoreEngine.WooCommerce, Status = StoreStatus.New,
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var values = Path.Combine(Path.GetTempPath(), $"rbac-platform-{Guid.NewGuid():N}.json");
        File.WriteAllText(values, PlatformValues.Build(store, options, ["203.0.113.10/32"]));
        try
        {
            var r = Helm.RunUncached(helm, "template", "acme", Helm.ChartDir(Helm.PlatformChart), "--namespace", "store-acme", "-f", Helm.PlanPath("small"), "-f", values);
            Assert.True(r.ExitCode == 0, r.Describe());
            // The hard-coded isolation kinds the store role grants helm's verbs on must cover what the chart renders.
            foreach (var o in Manifests.Parse(r.StdOut).Where(o => o.Kind is not ("Namespace" or "RoleBinding")))
                Assert.Contains(IsolationKinds, k => k.Kind == o.Kind);
            return r.StdOut;
        }
        finally
        {
            File.Delete(values);
        }
    }

    /// <summary>(group, resource) of every object the store charts render under helm 3 and helm 4, plus the isolation kinds.</summary>
    private static HashSet<(string Group, string Resource)> StoreChartKinds(bool includeTestHooks)
    {
        var kinds = new HashSet<(string, string)>(IsolationKinds.Select(k => (k.Group, Plural(k.Kind))));
        foreach (var version in Helm.Versions)
            foreach (var chart in Helm.Charts)
                foreach (var ci in Helm.CiValuesFiles(chart))
                    foreach (var o in Manifests.Parse(Helm.TemplateCi(version, chart, ci).StdOut))
                    {
                        if (!includeTestHooks && o.Annotations.TryGetValue("helm.sh/hook", out var hook) && hook.Split(',').Contains("test")) continue;
                        var apiVersion = o.Root.Str("apiVersion") ?? "";
                        kinds.Add((apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "", Plural(o.Kind)));
                    }
        Assert.Contains(("", "secrets"), kinds);
        Assert.Contains(("apps", "deployments"), kinds);
        return kinds;
    }

    private static string Plural(string kind)
    {
        var k = kind.ToLowerInvariant();
        return k.EndsWith('y') ? k[..^1] + "ies" : k.EndsWith('s') ? k + "es" : k + "s";
    }

    private static IEnumerable<(string Builder, IReadOnlyList<string> Args)> HelmCalls()
    {
        var t = TimeSpan.FromMinutes(10);
        yield return (nameof(HelmArguments.UpgradeInstall), HelmArguments.UpgradeInstall(3, "acme", "/charts/woocommerce", "store-acme", t, ["/tmp/v.yaml"], rollbackOnFailure: true));
        yield return (nameof(HelmArguments.UpgradeInstall), HelmArguments.UpgradeInstall(4, "acme", "/charts/woocommerce", "store-acme", t, ["/tmp/v.yaml"], rollbackOnFailure: true));
        yield return (nameof(HelmArguments.Rollback), HelmArguments.Rollback("acme", 1, "store-acme", t));
        yield return (nameof(HelmArguments.Uninstall), HelmArguments.Uninstall("acme", "store-acme", t));
        yield return (nameof(HelmArguments.Status), HelmArguments.Status("acme", "store-acme"));
        yield return (nameof(HelmArguments.History), HelmArguments.History("acme", "store-acme"));
        yield return (nameof(HelmArguments.GetValues), HelmArguments.GetValues("acme", "store-acme", 1));
        yield return (nameof(HelmArguments.ListManaged), HelmArguments.ListManaged());
        yield return (nameof(HelmArguments.Version), HelmArguments.Version());
        yield return (nameof(HelmArguments.VersionAndCommit), HelmArguments.VersionAndCommit());
        yield return (nameof(HelmArguments.Template), HelmArguments.Template("acme", "/charts/store-namespace", "store-acme", ["/tmp/v.yaml"]));
    }

    /// <summary>
    /// Every kubectl call the app makes. The platform render is applied as <see cref="StoreIsolation"/> does: first
    /// the Namespace and the RoleBinding (with the cluster-scope role only: nothing is bound inside yet), then the rest.
    /// </summary>
    private static IEnumerable<(string Builder, IReadOnlyList<string> Args)> KubectlCalls(string platformRender = "")
    {
        var t = TimeSpan.FromMinutes(10);
        var phases = PlatformApplyPhases.Split(platformRender);
        yield return (nameof(KubectlArguments.ApplyFromStdin), [.. KubectlArguments.ApplyFromStdin(), "--stdin-manifest", phases.Access, "--scope", "cluster"]);
        yield return (nameof(KubectlArguments.ApplyFromStdin), [.. KubectlArguments.ApplyFromStdin(), "--stdin-manifest", phases.Contents, "--scope", "namespaced"]);
        yield return (nameof(KubectlArguments.GetApiServerEndpoints), KubectlArguments.GetApiServerEndpoints());
        yield return (nameof(KubectlArguments.DeleteNamespace), KubectlArguments.DeleteNamespace("store-acme", t));
        yield return (nameof(KubectlArguments.GetNamespace), KubectlArguments.GetNamespace("store-acme"));
        yield return (nameof(KubectlArguments.GetPods), KubectlArguments.GetPods("store-acme"));
        yield return (nameof(KubectlArguments.GetEvents), KubectlArguments.GetEvents("store-acme"));
        yield return (nameof(KubectlArguments.GetAll), KubectlArguments.GetAll("store-acme"));
        yield return (nameof(KubectlArguments.ListPlatformObjects), KubectlArguments.ListPlatformObjects());
        yield return (nameof(KubectlArguments.ServerVersion), KubectlArguments.ServerVersion(t));
    }

    /// <summary>
    /// What one helm call needs inside the release's namespace. Helm keeps its release records in Secrets
    /// (sh.helm.release.v1.*: read, listed, created, updated, deleted). Installing and upgrading creates or patches
    /// every chart object (helm 4: server-side apply, a patch that may create) and reads it back; --wait and hooks
    /// watch them, a Deployment's ReplicaSets and Pods; --rollback-on-failure/--atomic and rollback delete what the
    /// older revision lacks; uninstall deletes and, with --wait, watches them go.
    /// </summary>
    private static HashSet<Permission> HelmNeeds(IReadOnlyList<string> args, HashSet<(string Group, string Resource)> chartKinds, out string subcommand)
    {
        subcommand = args[0];
        var needs = new HashSet<Permission>();
        void Chart(params string[] verbs) { foreach (var (g, r) in chartKinds) foreach (var v in verbs) needs.Add(new(g, r, v)); }
        void Releases(params string[] verbs) { foreach (var v in verbs) needs.Add(new("", "secrets", v)); }
        void Wait() { foreach (var (g, r) in new[] { ("", "pods"), ("apps", "replicasets") }) foreach (var v in new[] { "get", "list", "watch" }) needs.Add(new(g, r, v)); }
        switch (subcommand)
        {
            case "upgrade" or "rollback":
                Releases("get", "list", "create", "update");
                Chart(ChartObjectVerbs);
                if (args.Contains("--wait")) Wait();
                break;
            case "uninstall":
                Releases("get", "list", "delete");
                Chart("get", "delete");
                if (args.Contains("--wait")) Chart("list", "watch");
                break;
            case "status" or "history" or "get": // get values: reads the release record, like status
                Releases("get", "list");
                break;
            case "list":
                Releases("list"); // with --all-namespaces: helm's release records in every namespace (cluster scope)
                break;
            case "version" or "template":
                break; // template renders offline (no --validate), for the platform chart and the render guard
            default:
                throw new InvalidOperationException($"helm {subcommand}: no permission mapping; add it to RbacTests.HelmNeeds and the chart's RBAC");
        }
        return needs;
    }

    /// <summary>
    /// What one kubectl call needs, and whether at cluster scope (namespaces) or inside a store namespace; a RoleBinding
    /// also needs `bind` on the ClusterRole it grants (Name: RBAC's escalation check).
    /// </summary>
    private static List<(string Scope, Permission Permission, string? Name)> KubectlNeeds(IReadOnlyList<string> args)
    {
        var needs = new List<(string, Permission, string?)>();
        // Store namespaces are where the store role is bound; default/kubernetes (the API server's endpoints) is not one.
        var scope = args.Contains("--namespace") && !args.Contains("default") ? "namespaced" : "cluster";
        if (args.Contains("--all-namespaces")) scope = "cluster";
        switch (args[0])
        {
            case "version":
                break; // /version is readable by every authenticated user (system:public-info-viewer)
            case "apply":
                // Client-side apply reads the object, then creates or patches it; the phase says with which rights.
                var manifest = args[args.ToList().IndexOf("--stdin-manifest") + 1];
                var applyScope = args[args.ToList().IndexOf("--scope") + 1];
                var stream = new YamlStream();
                stream.Load(new StringReader(manifest));
                foreach (var doc in stream.Documents.Where(d => d.RootNode is YamlMappingNode))
                {
                    var kind = doc.RootNode.Str("kind") ?? "";
                    var apiVersion = doc.RootNode.Str("apiVersion") ?? "";
                    var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
                    Assert.True(kind == "Namespace" || applyScope == "cluster" || doc.RootNode.Str("metadata", "namespace") == "store-acme", $"{kind} outside the store namespace");
                    foreach (var v in new[] { "get", "create", "patch" }) needs.Add((applyScope, new(group, Plural(kind), v), null));
                    if (kind == "RoleBinding")
                    {
                        Assert.Equal("ClusterRole", doc.RootNode.Str("roleRef", "kind"));
                        needs.Add(("cluster", new("rbac.authorization.k8s.io", "clusterroles", "bind"), doc.RootNode.Str("roleRef", "name")));
                    }
                }
                break;
            case "get":
                var resource = args[1];
                var named = args.Count > 2 && !args[2].StartsWith('-');
                var targets = resource == "all" ? AllCategory : resource.Split(',').Select(GroupAndResource).ToArray();
                foreach (var (g, r) in targets) needs.Add((scope, new(g, r, named ? "get" : "list"), null));
                break;
            case "delete":
                needs.Add((scope, new("", Resource(args[1]), "delete"), null));
                // --wait=true watches the object until it is gone.
                if (args.Any(a => a.StartsWith("--wait", StringComparison.Ordinal) && a != "--wait=false"))
                    foreach (var v in new[] { "get", "list", "watch" }) needs.Add((scope, new("", Resource(args[1]), v), null));
                break;
            default:
                throw new InvalidOperationException($"kubectl {args[0]}: no permission mapping; add it to RbacTests.KubectlNeeds and the chart's RBAC");
        }
        return needs;

        static (string Group, string Resource) GroupAndResource(string r) =>
            r == "networkpolicies" ? ("networking.k8s.io", r) : ("", Resource(r));

        static string Resource(string r) => r switch
        {
            "resourcequotas" or "limitranges" => r,
            "namespace" or "namespaces" => "namespaces",
            "pod" or "pods" => "pods",
            "event" or "events" => "events",
            "endpoints" => "endpoints",
            _ => throw new InvalidOperationException($"kubectl resource '{r}': no mapping in RbacTests"),
        };
    }
}
