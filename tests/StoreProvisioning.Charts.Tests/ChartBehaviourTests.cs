using StoreProvisioning.Charts.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>Ingress, hooks, probes, env wiring, NOTES and the control-plane contract fixture.</summary>
public class ChartBehaviourTests
{
    private static List<K8sObject> Render(string helm, string chart, params string[] extra) =>
        Manifests.Parse(Helm.Template(helm, chart, ["-f", Helm.FixturePath(chart), .. extra]).StdOut);

    private static YamlMappingNode Container(IEnumerable<K8sObject> objects, string kind, string objectName, string container) =>
        Assert.Single(Assert.Single(objects, o => o.Kind == kind && o.Name == objectName).Containers(), c => c.Node.Str("name") == container).Node;

    private static Dictionary<string, YamlNode> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container.Get("env")!).Children.ToDictionary(e => e.Str("name")!, e => e);

    // Proves the Ingress routes store.host (default class traefik) to the web Service, for every ci values file.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Ingress_host_equals_store_host(string helm, string chart, string ciFile)
    {
        var values = Manifests.LoadMapping(Helm.CiValuesPath(chart, ciFile));
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut);
        var ingress = Assert.Single(objects, o => o.Kind == "Ingress");
        var rule = (YamlMappingNode)((YamlSequenceNode)ingress.Root.Get("spec", "rules")!).Children.Single();
        Assert.Equal(values.Str("store", "host"), rule.Str("host"));
        Assert.Equal(values.Str("ingress", "className") ?? "traefik", ingress.Root.Str("spec", "ingressClassName"));
        var backend = ((YamlSequenceNode)rule.Get("http", "paths")!).Children.Single().Str("backend", "service", "name");
        Assert.Contains(objects, o => o.Kind == "Service" && o.Name == backend);
    }

    // Proves the setup/admin hook Job runs post-install,post-upgrade with before-hook-creation,hook-succeeded, backoffLimit and activeDeadlineSeconds.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Hook_job_has_hook_annotations_and_bounds(string helm, string chart)
    {
        var job = Assert.Single(Render(helm, chart), o => o.Kind == "Job");
        Assert.Equal(chart == "woocommerce" ? "acme-setup" : "acme-admin-user", job.Name);
        Assert.Equal("post-install,post-upgrade", job.Annotations["helm.sh/hook"]);
        Assert.Equal("before-hook-creation,hook-succeeded", job.Annotations["helm.sh/hook-delete-policy"]);
        Assert.True(int.Parse(job.Root.Str("spec", "backoffLimit")!) > 0);
        Assert.True(int.Parse(job.Root.Str("spec", "activeDeadlineSeconds")!) > 0);
        Assert.Equal("Never", job.PodSpec!.Str("restartPolicy"));
    }

    // Proves the WooCommerce setup script is idempotent: each install/activate/seed step is guarded by a check, with cod enabled and the product looked up by SKU.
    [Theory]
    [InlineData(Helm.V3)]
    [InlineData(Helm.V4)]
    public void WooCommerce_setup_script_is_guarded_and_complete(string helm)
    {
        var objects = Render(helm, "woocommerce");
        var c = Container(objects, "Job", "acme-setup", "wp-cli");
        Assert.StartsWith("wordpress:cli-", c.Str("image"));
        var script = ((YamlSequenceNode)c.Get("args")!).Children[0].ToString();
        Assert.Contains("if wp core is-installed", script);
        Assert.Contains("wp core install --url=\"$STORE_URL\"", script);
        Assert.Contains("wp plugin is-active woocommerce", script);
        Assert.Contains("wp plugin install woocommerce --activate", script);
        Assert.Contains("wc_get_product_id_by_sku", script);
        Assert.Contains("woocommerce_cod_settings", script);
        Assert.Contains("\"enabled\":\"yes\"", script);
        var env = Env(c);
        Assert.Equal("http://acme.localhost:8080", env["STORE_URL"].Str("value"));
        Assert.Equal("admin@acme.localhost", env["ADMIN_EMAIL"].Str("value"));
        // The Job shares WordPress' content volume and waits for the database.
        Assert.Contains("mysqli_connect", script);
        Assert.Equal("acme-wordpress", job(objects).PodSpec!.Get("volumes")!.AllNodes.OfType<YamlMappingNode>().Select(n => n.Str("claimName")).First(n => n is not null));
        static K8sObject job(List<K8sObject> o) => o.Single(x => x.Kind == "Job");
    }

    // Proves probes: WordPress startup/readiness httpGet /wp-login.php with a TCP liveness; Medusa startup/readiness/liveness on /health port 9000.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Web_container_probes(string helm, string chart)
    {
        var objects = Render(helm, chart);
        if (chart == "woocommerce")
        {
            var c = Container(objects, "Deployment", "acme-wordpress", "wordpress");
            Assert.Equal("/wp-login.php", c.Str("startupProbe", "httpGet", "path"));
            Assert.Equal("/wp-login.php", c.Str("readinessProbe", "httpGet", "path"));
            Assert.NotNull(c.Get("livenessProbe", "tcpSocket"));
            // The startup probe tolerates a slow first boot (>= 5 minutes) before liveness applies.
            Assert.True(int.Parse(c.Str("startupProbe", "periodSeconds")!) * int.Parse(c.Str("startupProbe", "failureThreshold")!) >= 300);
            Assert.StartsWith("wordpress:", c.Str("image"));
            Assert.Equal("Recreate", objects.Single(o => o.Name == "acme-wordpress" && o.Kind == "Deployment").Root.Str("spec", "strategy", "type"));
        }
        else
        {
            var c = Container(objects, "Deployment", "acme-server", "medusa");
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                Assert.Equal("/health", c.Str(probe, "httpGet", "path"));
            Assert.Equal("9000", c.Get("ports")!.AllNodes.OfType<YamlMappingNode>().Select(p => p.Str("containerPort")).First(p => p is not null));
        }
    }

    // Proves the data stores are StatefulSets with a volumeClaimTemplate and WordPress content sits on a PVC.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Databases_are_statefulsets_with_pvcs(string helm, string chart)
    {
        var objects = Render(helm, chart);
        var sts = Assert.Single(objects, o => o.Kind == "StatefulSet");
        Assert.Equal(chart == "woocommerce" ? "acme-mariadb" : "acme-postgresql", sts.Name);
        Assert.NotEmpty(((YamlSequenceNode)sts.Root.Get("spec", "volumeClaimTemplates")!).Children);
        if (chart == "woocommerce")
            Assert.Contains(objects, o => o.Kind == "PersistentVolumeClaim" && o.Name == "acme-wordpress");
    }

    // Proves Medusa env wiring: DATABASE_URL composes $(DB_PASSWORD) from the Secret, plus REDIS_URL, JWT/COOKIE secrets, CORS and MEDUSA_BACKEND_URL, in server, migrate and admin Job.
    [Theory]
    [InlineData(Helm.V3)]
    [InlineData(Helm.V4)]
    public void Medusa_env_is_wired_once_per_container(string helm)
    {
        var objects = Render(helm, "medusa");
        var containers = new[]
        {
            Container(objects, "Deployment", "acme-server", "medusa"),
            Container(objects, "Deployment", "acme-server", "migrate"),
            Container(objects, "Job", "acme-admin-user", "create-admin"),
        };
        foreach (var c in containers)
        {
            var env = Env(c);
            Assert.Equal("databasePassword", env["DB_PASSWORD"].Str("valueFrom", "secretKeyRef", "key"));
            Assert.Equal("postgres://medusa:$(DB_PASSWORD)@acme-postgresql:5432/medusa?sslmode=disable", env["DATABASE_URL"].Str("value"));
            Assert.Equal("redis://acme-redis:6379", env["REDIS_URL"].Str("value"));
            Assert.Equal("jwtSecret", env["JWT_SECRET"].Str("valueFrom", "secretKeyRef", "key"));
            Assert.Equal("cookieSecret", env["COOKIE_SECRET"].Str("valueFrom", "secretKeyRef", "key"));
            foreach (var cors in new[] { "STORE_CORS", "ADMIN_CORS", "AUTH_CORS" })
                Assert.Equal("http://acme.localhost:8080", env[cors].Str("value"));
            Assert.Equal("http://acme.localhost:8080", env["MEDUSA_BACKEND_URL"].Str("value"));
        }
        Assert.Equal(["medusa", "db:migrate"], ((YamlSequenceNode)containers[1].Get("command")!).Children.Select(x => x.ToString()));
        var adminScript = ((YamlSequenceNode)containers[2].Get("args")!).Children[0].ToString();
        Assert.Contains("medusa user", adminScript);
        Assert.Contains("already exists", adminScript);
    }

    // Proves the helm test pod checks the Store API for the seeded product (WooCommerce) or /health (Medusa).
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Helm_test_pod_checks_the_store(string helm, string chart)
    {
        var pod = Assert.Single(Render(helm, chart), o => o.Kind == "Pod");
        Assert.Equal("test", pod.Annotations["helm.sh/hook"]);
        var c = pod.Containers().Single().Node;
        var env = Env(c);
        if (chart == "woocommerce")
        {
            Assert.Equal("http://acme-wordpress:80/wp-json/wc/store/v1/products", env["STORE_API"].Str("value"));
            Assert.Equal("Sample T-Shirt", env["PRODUCT_NAME"].Str("value"));
        }
        else Assert.Equal("http://acme-server:9000/health", env["HEALTH_URL"].Str("value"));
        Assert.Contains("200", ((YamlSequenceNode)c.Get("args")!).Children[0].ToString());
    }

    // Proves operator overrides (image tag, resources, persistence size, replicas) reach the rendered objects.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Operator_overrides_apply(string helm, string chart)
    {
        var objects = Render(helm, chart, "--set", "image.tag=9.9.9-test", "--set", "resources.limits.memory=3Gi",
            "--set", "replicaCount=1", "--set", (chart == "woocommerce" ? "persistence.size=7Gi" : "postgresql.persistence.size=7Gi"));
        var (kind, name, container) = chart == "woocommerce" ? ("Deployment", "acme-wordpress", "wordpress") : ("Deployment", "acme-server", "medusa");
        var c = Container(objects, kind, name, container);
        Assert.EndsWith(":9.9.9-test", c.Str("image"));
        Assert.Equal("3Gi", c.Str("resources", "limits", "memory"));
        Assert.Contains("storage: \"7Gi\"", string.Join("\n", objects.Where(o => o.Kind is "PersistentVolumeClaim" or "StatefulSet").Select(o => o.Raw)));
    }

    // Proves NOTES.txt prints the store URL and the admin URL (helm 4: real `install --dry-run=client`; helm 3, which needs a cluster for that: NOTES rendered through a probe template).
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Notes_print_store_and_admin_urls(string helm, string chart)
    {
        string notes;
        if (helm == Helm.V4)
        {
            var r = Helm.Run(helm, "install", "acme", Helm.ChartDir(chart), "-n", "store-acme", "--dry-run=client", "-f", Helm.FixturePath(chart));
            Assert.True(r.ExitCode == 0, r.Describe());
            var i = r.StdOut.IndexOf("NOTES:", StringComparison.Ordinal);
            Assert.True(i >= 0, "no NOTES section\n" + r.Describe());
            notes = r.StdOut[i..];
        }
        else
        {
            var dir = Path.Combine(Path.GetTempPath(), $"notes-probe-{chart}-{Guid.NewGuid():N}");
            CopyDirectory(Helm.ChartDir(chart), dir);
            try
            {
                File.Move(Path.Combine(dir, "templates", "NOTES.txt"), Path.Combine(dir, "notes-probe.txt"));
                File.WriteAllText(Path.Combine(dir, "templates", "zz-notes-probe.yaml"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-probe\ndata:\n  notes: {{ tpl (.Files.Get \"notes-probe.txt\") . | quote }}\n");
                var r = Helm.RunUncached(helm, "template", "acme", dir, "-n", "store-acme", "-f", Helm.FixturePath(chart), "--show-only", "templates/zz-notes-probe.yaml");
                Assert.True(r.ExitCode == 0, r.Describe());
                notes = Manifests.Parse(r.StdOut).Single().Root.Str("data", "notes")!;
            }
            finally { Directory.Delete(dir, recursive: true); }
        }
        Assert.Contains("Store URL: http://acme.localhost:8080/", notes);
        Assert.Contains(chart == "woocommerce" ? "Admin URL: http://acme.localhost:8080/wp-admin/" : "Admin URL: http://acme.localhost:8080/app", notes);
    }

    // Proves the contract fixture (what the control plane sends) lints and renders, and carries exactly store + the engine's credential keys.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Contract_fixture_is_accepted(string helm, string chart)
    {
        var lint = Helm.Run(helm, "lint", "--strict", Helm.ChartDir(chart), "-f", Helm.FixturePath(chart));
        Assert.True(lint.ExitCode == 0, lint.Describe());
        var fixture = Manifests.LoadMapping(Helm.FixturePath(chart));
        Assert.Equal(["credentials", "store"], fixture.Children.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(["host", "name", "url"], fixture.Get("store").AsStringMap().Keys.Order());
        string[] keys = chart == "woocommerce"
            ? ["adminEmail", "adminPassword", "databasePassword", "databaseRootPassword"]
            : ["adminEmail", "adminPassword", "cookieSecret", "databasePassword", "jwtSecret"];
        Assert.Equal(keys, fixture.Get("credentials").AsStringMap().Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(Render(helm, chart));
    }

    // Proves the contract in the JSON form the control plane actually writes (StoreValues.Build) renders the same Secret as the YAML fixture.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Contract_as_json_values_file_renders_the_same_secret(string helm, string chart)
    {
        var fixture = Manifests.LoadMapping(Helm.FixturePath(chart));
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["store"] = new System.Text.Json.Nodes.JsonObject(fixture.Get("store").AsStringMap().Select(kv => KeyValuePair.Create(kv.Key, (System.Text.Json.Nodes.JsonNode?)kv.Value))),
            ["credentials"] = new System.Text.Json.Nodes.JsonObject(fixture.Get("credentials").AsStringMap().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (System.Text.Json.Nodes.JsonNode?)kv.Value))),
        };
        var path = Path.Combine(Path.GetTempPath(), $"contract-{chart}-{helm}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        try
        {
            var fromJson = Manifests.Parse(Helm.Template(helm, chart, "-f", path).StdOut);
            var fromYaml = Render(helm, chart);
            string SecretData(List<K8sObject> objects) => objects.Single(o => o.Kind == "Secret").Root.Get("data")!.ToString();
            Assert.Equal(SecretData(fromYaml), SecretData(fromJson));
        }
        finally { File.Delete(path); }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(d.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(f, f.Replace(from, to));
    }
}
