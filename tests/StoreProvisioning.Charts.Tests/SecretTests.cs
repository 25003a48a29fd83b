using System.Text;
using StoreProvisioning.Charts.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>Credentials: only in the Secret, base64, stable, kept on uninstall; nothing secret in defaults.</summary>
public class SecretTests
{
    private static readonly Dictionary<string, string[]> SecretKeys = new()
    {
        ["woocommerce"] = ["adminPassword", "databasePassword", "databaseRootPassword"],
        ["medusa"] = ["adminPassword", "databasePassword", "jwtSecret", "cookieSecret"],
    };

    private static Dictionary<string, string> FixtureCredentials(string chart) =>
        Manifests.LoadMapping(Helm.FixturePath(chart)).Get("credentials").AsStringMap()
            .Where(kv => kv.Key != "adminEmail").ToDictionary();

    private static K8sObject CredentialsSecret(IEnumerable<K8sObject> objects) =>
        Assert.Single(objects, o => o.Kind == "Secret" && o.Name == "acme-credentials");

    // Proves known credential values end up base64-encoded in the Secret's data and nowhere else, in plain text or encoded.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Known_credentials_appear_only_base64_in_the_secret(string helm, string chart)
    {
        var output = Helm.Template(helm, chart, "-f", Helm.FixturePath(chart)).StdOut;
        var objects = Manifests.Parse(output);
        var secret = CredentialsSecret(objects);
        var data = secret.Root.Get("data").AsStringMap();
        var creds = FixtureCredentials(chart);
        Assert.Equal(SecretKeys[chart].OrderBy(k => k), creds.Keys.OrderBy(k => k));
        foreach (var (key, plain) in creds)
        {
            var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(plain));
            Assert.Equal(b64, data[key]);
            Assert.DoesNotContain(plain, output);
            foreach (var o in objects.Where(o => o != secret))
                Assert.DoesNotContain(b64, o.Raw);
        }
        Assert.True(secret.Root.Get("stringData") is null, "credentials must be base64 data, not stringData");
    }

    // Proves the Secret is named <fullname>-credentials, kept on uninstall (helm.sh/resource-policy: keep) and holds exactly the engine's keys.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Secret_is_kept_and_has_the_engine_keys(string helm, string chart)
    {
        var secret = CredentialsSecret(Manifests.Parse(Helm.TemplateCi(helm, chart, "no-credentials-values.yaml").StdOut));
        Assert.Equal("keep", secret.Annotations.GetValueOrDefault("helm.sh/resource-policy"));
        var data = secret.Root.Get("data").AsStringMap();
        Assert.Equal(SecretKeys[chart].OrderBy(k => k), data.Keys.OrderBy(k => k));
        // Without credentials the chart still renders, with random (non-empty) fallbacks.
        Assert.All(data.Values, v => Assert.True(Convert.FromBase64String(v).Length >= 16));
    }

    // Proves rendering twice with the same credentials (and under helm 3 vs helm 4) yields an identical Secret.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Credentials_are_stable_across_renders(string chart)
    {
        string SecretYaml(string helm) =>
            CredentialsSecret(Manifests.Parse(Helm.RunUncached(helm, "template", "acme", Helm.ChartDir(chart), "-n", "store-acme",
                "-f", Helm.FixturePath(chart)).StdOut)).Root.Get("data")!.ToString();
        var first = SecretYaml(Helm.V3);
        Assert.Equal(first, SecretYaml(Helm.V3));
        Assert.Equal(first, SecretYaml(Helm.V4));
        Assert.Equal(first, SecretYaml(Helm.V4));
    }

    // Proves workloads read passwords through secretKeyRef to the credentials Secret (never an inline value).
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Workloads_read_passwords_from_the_secret(string helm, string chart)
    {
        var objects = Manifests.Parse(Helm.Template(helm, chart, "-f", Helm.FixturePath(chart)).StdOut);
        var refs = new List<string>();
        foreach (var o in objects)
            foreach (var (_, c) in o.Containers())
                if (c.Get("env") is YamlSequenceNode env)
                    foreach (var e in env.Children)
                    {
                        var name = e.Str("name")!;
                        if (e.Get("valueFrom", "secretKeyRef") is { } r)
                        {
                            Assert.Equal("acme-credentials", r.Str("name"));
                            refs.Add(r.Str("key")!);
                        }
                        else if (System.Text.RegularExpressions.Regex.IsMatch(name, "PASSWORD|SECRET", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                            Assert.Fail($"{o.ContainerId(c)}: {name} is not read from the Secret");
                    }
        Assert.Subset(refs.ToHashSet(), SecretKeys[chart].ToHashSet());
    }

    // Proves values.yaml ships no secret defaults: credentials is empty and no password/secret-like key has a value.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Values_yaml_has_no_secret_defaults(string chart)
    {
        var values = Manifests.LoadMapping(Path.Combine(Helm.ChartDir(chart), "values.yaml"));
        var creds = values.Get("credentials") as YamlMappingNode;
        Assert.True(creds is not null && creds.Children.Count == 0, "credentials must default to {}");
        void Walk(YamlNode node, string path)
        {
            if (node is YamlMappingNode m)
                foreach (var (k, v) in m.Children)
                {
                    var key = k.ToString();
                    if (v is YamlScalarNode s && System.Text.RegularExpressions.Regex.IsMatch(key, "password|secret|token", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                        Assert.True(string.IsNullOrEmpty(s.Value), $"values.yaml {path}.{key} has a default");
                    Walk(v, $"{path}.{key}");
                }
            else if (node is YamlSequenceNode seq)
                foreach (var c in seq.Children) Walk(c, path + "[]");
        }
        Walk(values, "");
        var text = File.ReadAllText(Path.Combine(Helm.ChartDir(chart), "values.yaml"));
        foreach (var plain in FixtureCredentials(chart).Values) Assert.DoesNotContain(plain, text);
    }

    // Proves no template file contains a password literal: every credential is produced from values/lookup/randAlphaNum.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Templates_contain_no_password_literals(string chart)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Helm.ChartDir(chart), "templates"), "*", SearchOption.AllDirectories))
            foreach (var line in File.ReadAllLines(file))
            {
                var m = System.Text.RegularExpressions.Regex.Match(line, @"(?i)(password|secret)\s*[:=]\s*[""']?([A-Za-z0-9]{8,})");
                Assert.False(m.Success, $"{Path.GetFileName(file)}: looks like a literal secret: {line.Trim()}");
            }
    }
}
