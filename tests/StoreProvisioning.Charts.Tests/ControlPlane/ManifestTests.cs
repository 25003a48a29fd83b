using System.Text.RegularExpressions;
using StoreProvisioning.Charts.Tests.Infrastructure;
using StoreProvisioning.Cluster;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>What helm/control-plane renders under helm 3 and helm 4 for every ci values file.</summary>
public class ManifestTests
{
    // Proves every pod runs as non-root under the restricted Pod Security Standard with a read-only root filesystem,
    // a writable /tmp, and CPU/memory requests and limits.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Every_pod_is_restricted_non_root_read_only_with_resources(string helm, string ciFile)
    {
        var workloads = ControlPlaneChart.RenderCi(helm, ciFile).Where(o => o.PodSpec is not null).ToList();
        Assert.NotEmpty(workloads);
        foreach (var w in workloads)
        {
            var spec = w.PodSpec!;
            Assert.True(spec.Str("securityContext", "runAsNonRoot") == "true", $"{w.Id}: pod runAsNonRoot");
            Assert.True(int.Parse(spec.Str("securityContext", "runAsUser") ?? "0") > 0, $"{w.Id}: pod runAsUser must be a non-zero uid");
            Assert.Equal("RuntimeDefault", spec.Str("securityContext", "seccompProfile", "type"));
            var tmpVolumes = spec.Get("volumes").Items().OfType<YamlMappingNode>().Where(v => v.Get("emptyDir") is not null).Select(v => v.Str("name")).ToHashSet();
            foreach (var (_, c) in w.Containers())
            {
                var id = w.ContainerId(c);
                Assert.True(c.Str("securityContext", "allowPrivilegeEscalation") == "false", $"{id}: allowPrivilegeEscalation");
                Assert.True(c.Str("securityContext", "readOnlyRootFilesystem") == "true", $"{id}: readOnlyRootFilesystem");
                Assert.True(c.Str("securityContext", "runAsNonRoot") == "true", $"{id}: runAsNonRoot");
                Assert.Equal(["ALL"], c.Get("securityContext", "capabilities", "drop").Strings());
                Assert.Null(c.Get("securityContext", "capabilities", "add"));
                Assert.Equal("RuntimeDefault", c.Str("securityContext", "seccompProfile", "type"));
                foreach (var kind in new[] { "requests", "limits" })
                    foreach (var r in new[] { "cpu", "memory" })
                        Assert.False(string.IsNullOrEmpty(c.Str("resources", kind, r)), $"{id}: resources.{kind}.{r}");
                var tmp = c.Get("volumeMounts").Items().OfType<YamlMappingNode>().SingleOrDefault(m => m.Str("mountPath") == "/tmp");
                if (w.Kind != "Pod") // the helm test's curl writes nothing
                    Assert.True(tmp is not null && tmpVolumes.Contains(tmp.Str("name")), $"{id}: /tmp must be a writable emptyDir");
            }
        }
    }

    // Proves only the function app's pod gets a ServiceAccount token, and it is the ServiceAccount the RBAC binds.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Only_the_function_app_mounts_a_service_account_token(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        foreach (var sa in objects.Where(o => o.Kind == "ServiceAccount"))
            Assert.Equal("false", sa.Root.Str("automountServiceAccountToken"));
        foreach (var w in objects.Where(o => o.PodSpec is not null))
        {
            var functions = w.Id.EndsWith("-functions", StringComparison.Ordinal) && w.Kind == "Deployment";
            Assert.True(w.PodSpec!.Str("automountServiceAccountToken") == (functions ? "true" : "false"), $"{w.Id}: automountServiceAccountToken");
        }
        var functionsSa = objects.Single("Deployment", "-functions").PodSpec!.Str("serviceAccountName");
        var bound = objects.Single("ClusterRoleBinding", "-namespaces").Root.Get("subjects").Items().Single();
        Assert.Equal(functionsSa, bound.Str("name"));
        Assert.Equal(ControlPlaneChart.Namespace, bound.Str("namespace"));
    }

    // Proves the function app is probed on the health route and the dashboard on its own.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Probes_call_the_health_routes(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        var functions = objects.Single("Deployment", "-functions").Container("functions");
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/api/health", functions.Str(probe, "httpGet", "path"));
            Assert.Equal("http", functions.Str(probe, "httpGet", "port"));
        }
        Assert.Equal("8080", functions.Get("ports").Items().Single().Str("containerPort"));
        var dashboard = objects.Single("Deployment", "-dashboard").Container("dashboard");
        Assert.Equal("/healthz", dashboard.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", dashboard.Str("livenessProbe", "httpGet", "path"));
    }

    // Proves no secret value is written into a manifest: AzureWebJobsStorage comes from a Secret, every other env
    // value is a plain setting, and the only Secret the chart renders is Azurite's generated (random) account.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void No_literal_secrets(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        var secretish = new Regex("(?i)(password|secret|token|accountkey|connection_?string|credential)");
        foreach (var w in objects.Where(o => o.PodSpec is not null))
            foreach (var (_, c) in w.Containers())
                foreach (var env in c.Get("env").Items().OfType<YamlMappingNode>())
                {
                    var name = env.Str("name") ?? "";
                    if (name == "AzureWebJobsStorage" || secretish.IsMatch(name))
                        Assert.True(env.Get("valueFrom", "secretKeyRef") is not null, $"{w.ContainerId(c)}: {name} must come from a Secret");
                }
        foreach (var cm in objects.Where(o => o.Kind == "ConfigMap"))
            foreach (var (key, value) in cm.Root.Get("data").AsStringMap())
                Assert.False(secretish.IsMatch(key) || value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase), $"{cm.Id}: {key} looks like a secret");

        var all = string.Join("\n", objects.Select(o => o.Raw));
        // Azurite's published development key must never be what the chart uses.
        Assert.DoesNotContain("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", all);
        var secrets = objects.Where(o => o.Kind == "Secret").ToList();
        var azurite = ciFile == "k3d-values.yaml";
        Assert.Equal(azurite ? 1 : 0, secrets.Count);
        if (azurite)
        {
            // Two renders generate two different keys: nothing in the values decides it.
            var again = ControlPlaneChart.Render(helm, "-f", ControlPlaneChart.CiPath(ciFile), "--set", "podDisruptionBudget.enabled=true")
                .Single("Secret", "-azurite");
            Assert.NotEqual(secrets[0].Root.Str("data", "accountKey"), again.Root.Str("data", "accountKey"));
        }
    }

    // Proves SQLite means exactly one replica with the Recreate strategy on a PVC, and the schema refuses more.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.Versions), MemberType = typeof(ControlPlaneChart))]
    public void Sqlite_means_one_replica_recreated(string helm)
    {
        var objects = ControlPlaneChart.Render(helm);
        var functions = objects.Single("Deployment", "-functions");
        Assert.Equal("1", functions.Root.Str("spec", "replicas"));
        Assert.Equal("Recreate", functions.Root.Str("spec", "strategy", "type"));
        var pvc = objects.Single("PersistentVolumeClaim", "-data");
        Assert.Equal("keep", pvc.Annotations["helm.sh/resource-policy"]);
        var settings = objects.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        var mount = functions.Container("functions").Get("volumeMounts").Items().OfType<YamlMappingNode>().Single(m => m.Str("name") == "data");
        Assert.StartsWith(mount.Str("mountPath") + "/", settings["SQLITE_PATH"]);

        var refused = ControlPlaneChart.TryRender(helm, "--set", "functions.replicaCount=2");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("replicaCount", refused.StdErr);

        // Only an external database may scale out (and then no SQLite volume, no Recreate).
        var scaled = ControlPlaneChart.Render(helm, "--set", "database.type=postgres", "--set", "database.postgres.existingSecret=pg", "--set", "functions.replicaCount=2");
        var d = scaled.Single("Deployment", "-functions");
        Assert.Equal("2", d.Root.Str("spec", "replicas"));
        Assert.Null(d.Root.Get("spec", "strategy"));
        Assert.DoesNotContain(scaled, o => o.Kind == "PersistentVolumeClaim" && o.Name.EndsWith("-data", StringComparison.Ordinal));
        var scaledSettings = scaled.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        Assert.DoesNotContain("SQLITE_PATH", scaledSettings.Keys);
        Assert.DoesNotContain("POSTGRES_CONNECTION", scaledSettings.Keys);
        Assert.Equal("postgres", scaledSettings["STORE_DATABASE"]);
        Assert.Equal("sqlite", settings["STORE_DATABASE"]);
        Assert.Equal("90", settings["AUDIT_RETENTION_DAYS"]);

        // The connection string (with its password) comes only from the named Secret's key.
        var connection = d.Container("functions").Get("env").Items().Single(e => e.Str("name") == "POSTGRES_CONNECTION");
        Assert.Equal("pg", connection.Str("valueFrom", "secretKeyRef", "name"));
        Assert.Equal("connectionString", connection.Str("valueFrom", "secretKeyRef", "key"));
        Assert.DoesNotContain(functions.Container("functions").Get("env").Items(), e => e.Str("name") == "POSTGRES_CONNECTION");
    }

    public static TheoryData<string, string, string> SchemaViolations()
    {
        var cases = new (string Args, string Expect)[]
        {
            ("storage.mode=existingSecret", "existingSecret"),
            ("database.type=postgres", "existingSecret"),
            ("ingress.certManager.clusterIssuer=letsencrypt", "tls"),
            ("extraEnv[0].name=AzureWebJobsStorage,extraEnv[0].value=UseDevelopmentStorage=true", "extraEnv"),
            ("settings.provisionConcurrency=0", "provisionConcurrency"),
            ("settings.helmTimeout=soon", "helmTimeout"),
            ("settings.storeUrlTemplate=http://shop", "storeUrlTemplate"),
            ("dashboard.apiBaseUrl=javascript:alert(1)", "apiBaseUrl"),
            ("ingress.host=Not A Host", "host"),
            ("settings.unknownSetting=1", "unknownSetting"),
        };
        var d = new TheoryData<string, string, string>();
        foreach (var v in Helm.Versions)
            foreach (var (args, expect) in cases)
                d.Add(v, args, expect);
        return d;
    }

    // Proves values.schema.json refuses bad values with a message naming the field.
    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public void Schema_refuses_bad_values(string helm, string set, string expect)
    {
        var r = ControlPlaneChart.TryRender(helm, "--set", set);
        Assert.True(r.ExitCode != 0, $"--set {set} was accepted\n{r.Describe()}");
        Assert.Contains("schema", r.StdErr);
        Assert.Contains(expect, r.StdErr);
    }

    // Proves every app setting of the README's settings table is a value of the chart and reaches the function app.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.Versions), MemberType = typeof(ControlPlaneChart))]
    public void Every_readme_setting_reaches_the_function_app(string helm)
    {
        var objects = ControlPlaneChart.Render(helm);
        var container = objects.Single("Deployment", "-functions").Container("functions");
        var names = objects.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap().Keys
            .Concat(container.Get("env").Items().Select(e => e.Str("name") ?? ""))
            .ToHashSet(StringComparer.Ordinal);
        // POSTGRES_CONNECTION exists only with database.type=postgres (SQLITE_PATH only without it).
        var postgres = ControlPlaneChart.Render(helm, "--set", "database.type=postgres", "--set", "database.postgres.existingSecret=pg");
        names.UnionWith(postgres.Single("Deployment", "-functions").Container("functions").Get("env").Items().Select(e => e.Str("name") ?? ""));
        var settings = ReadmeSettings().ToList();
        Assert.True(settings.Count >= 10, "README settings table not found or too short");
        foreach (var setting in settings)
            Assert.True(names.Contains(setting), $"README setting {setting} is not set by helm/control-plane");
        // The host's activity limit follows the app's concurrency setting.
        var data = objects.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        Assert.Equal(data["PROVISION_CONCURRENCY"], data["AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions"]);
        var changed = ControlPlaneChart.Render(helm, "--set", "settings.provisionConcurrency=5").Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        Assert.Equal("5", changed["PROVISION_CONCURRENCY"]);
        Assert.Equal("5", changed["AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions"]);
    }

    /// <summary>Setting names of the README's settings table, except those only the test server reads.</summary>
    private static IEnumerable<string> ReadmeSettings()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "README.md"));
        var start = Array.FindIndex(readme, l => l.Trim() == "## Settings");
        Assert.True(start >= 0, "README has no ## Settings section");
        foreach (var line in readme.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var m = Regex.Match(line, @"^\|\s*`([A-Za-z_][A-Za-z0-9_]*)`\s*\|");
            if (!m.Success) continue;
            if (Regex.IsMatch(line, @"test server only|the test server's", RegexOptions.IgnoreCase)) continue;
            yield return m.Groups[1].Value;
        }
    }

    // Proves the Ingress routes /api to the function app and the rest to the dashboard, with TLS and cert-manager
    // when asked for.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.Versions), MemberType = typeof(ControlPlaneChart))]
    public void Ingress_routes_api_and_dashboard_with_optional_tls(string helm)
    {
        var local = ControlPlaneChart.RenderCi(helm, "k3d-values.yaml").Single("Ingress", "control-plane");
        Assert.Null(local.Root.Get("spec", "tls"));
        Assert.False(local.Annotations.ContainsKey("cert-manager.io/cluster-issuer"));
        var rule = local.Root.Get("spec", "rules").Items().Single();
        Assert.Equal("console.localhost", rule.Str("host"));
        var paths = rule.Get("http", "paths").Items().ToDictionary(p => p.Str("path")!, p => p.Str("backend", "service", "name")!);
        Assert.EndsWith("-functions", paths["/api"]);
        Assert.EndsWith("-dashboard", paths["/"]);

        var prod = ControlPlaneChart.RenderCi(helm, "production-values.yaml").Single("Ingress", "control-plane");
        Assert.Equal("letsencrypt-prod", prod.Annotations["cert-manager.io/cluster-issuer"]);
        var tls = prod.Root.Get("spec", "tls").Items().Single();
        Assert.Equal("console-stores-tls", tls.Str("secretName"));
        Assert.Equal(["console.stores.example.com"], tls.Get("hosts").Strings());
        Assert.Equal("nginx", prod.Root.Str("spec", "ingressClassName"));
    }

    // Proves durable storage is either the in-cluster Azurite (one replica, PVC, explicit connection string from its
    // Secret) or the operator's Secret — never UseDevelopmentStorage=true, which only reaches 127.0.0.1.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.Versions), MemberType = typeof(ControlPlaneChart))]
    public void Durable_storage_is_azurite_or_an_existing_secret(string helm)
    {
        var dev = ControlPlaneChart.RenderCi(helm, "k3d-values.yaml");
        var azurite = dev.Single("Deployment", "-azurite");
        Assert.Equal("1", azurite.Root.Str("spec", "replicas"));
        Assert.Equal("Recreate", azurite.Root.Str("spec", "strategy", "type"));
        Assert.Contains(azurite.PodSpec!.Get("volumes").Items(), v => v.Get("persistentVolumeClaim") is not null);
        var secret = dev.Single("Secret", "-azurite");
        var connection = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.Root.Str("data", "connectionString")!));
        Assert.Matches(@"^DefaultEndpointsProtocol=http;AccountName=controlplane;AccountKey=[A-Za-z0-9+/=]{40,};BlobEndpoint=http://control-plane-azurite:10000/controlplane;QueueEndpoint=http://control-plane-azurite:10001/controlplane;TableEndpoint=http://control-plane-azurite:10002/controlplane;$", connection);
        var accounts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.Root.Str("data", "accounts")!));
        Assert.Contains($"AccountKey={accounts.Split(':', 2)[1]};", connection);
        Assert.Equal(secret.Name, StorageRef(dev).Name);

        var prod = ControlPlaneChart.RenderCi(helm, "production-values.yaml");
        Assert.DoesNotContain(prod, o => o.Name.EndsWith("-azurite", StringComparison.Ordinal));
        Assert.Equal(("control-plane-storage", "connectionString"), StorageRef(prod));
    }

    private static (string Name, string Key) StorageRef(List<K8sObject> objects)
    {
        var env = objects.Single("Deployment", "-functions").Container("functions").Get("env").Items().Single(e => e.Str("name") == "AzureWebJobsStorage");
        return (env.Str("valueFrom", "secretKeyRef", "name")!, env.Str("valueFrom", "secretKeyRef", "key")!);
    }

    // Proves the PDBs, the NetworkPolicies of the control plane's own namespace and the helm test are rendered.
    [Theory]
    [MemberData(nameof(ControlPlaneChart.VersionsAndCiFiles), MemberType = typeof(ControlPlaneChart))]
    public void Disruption_budget_network_policies_and_helm_test(string helm, string ciFile)
    {
        var objects = ControlPlaneChart.RenderCi(helm, ciFile);
        Assert.Equal("1", objects.Single("PodDisruptionBudget", "-functions").Root.Str("spec", "maxUnavailable"));

        var deny = objects.Single("NetworkPolicy", "-default-deny");
        Assert.Equal(["Ingress", "Egress"], deny.Root.Get("spec", "policyTypes").Strings());
        Assert.Null(deny.Root.Get("spec", "ingress"));
        Assert.Null(deny.Root.Get("spec", "egress"));
        var functions = objects.Single("NetworkPolicy", "-functions");
        var egressPorts = functions.Root.Get("spec", "egress").Items().SelectMany(e => e.Get("ports").Items()).Select(p => p.Str("port")).ToHashSet();
        Assert.Contains("53", egressPorts);
        Assert.Contains("443", egressPorts);

        var test = Assert.Single(objects, o => o.Kind == "Pod");
        Assert.Equal("test", test.Annotations["helm.sh/hook"]);
        var url = test.Containers().Single().Node.Get("args").Strings().Last();
        Assert.Equal("http://control-plane-functions:80/api/health", url);
        Assert.Contains("--fail-with-body", test.Containers().Single().Node.Get("args").Strings());
    }

    // Proves NOTES (rendered by helm 4's offline install --dry-run=client) tells where the console is and how to
    // check it, for the local and the production values.
    [Theory]
    [InlineData("k3d-values.yaml", "http://console.localhost:8080/", "in-cluster Azurite")]
    [InlineData("production-values.yaml", "https://console.stores.example.com/", "Secret control-plane-storage")]
    public void Notes_say_where_the_console_is_and_how_to_check_it(string ciFile, string url, string storage)
    {
        var r = Helm.Run(Helm.V4, "install", ControlPlaneChart.Release, ControlPlaneChart.Dir, "--namespace", ControlPlaneChart.Namespace,
            "--dry-run=client", "-f", ControlPlaneChart.CiPath(ciFile));
        Assert.True(r.ExitCode == 0, r.Describe());
        var notes = r.StdOut[r.StdOut.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains($"Dashboard and API:  {url}", notes);
        Assert.Contains("helm test control-plane -n control-plane", notes);
        Assert.Contains("kubectl -n control-plane rollout status deployment/control-plane-functions", notes);
        Assert.Contains(storage, notes);
        Assert.Contains("ClusterRole control-plane-control-plane-store-namespace", notes);
    }
}
