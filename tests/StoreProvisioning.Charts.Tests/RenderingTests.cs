using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>Lint + render of every ci values file under helm 3 and helm 4, and rules every rendered object must follow.</summary>
public class RenderingTests
{
    // Proves `helm lint --strict` accepts the chart with each ci values file.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Lint_strict_passes(string helm, string chart, string ciFile)
    {
        var r = Helm.Run(helm, "lint", "--strict", Helm.ChartDir(chart), "-f", Helm.CiValuesPath(chart, ciFile));
        Assert.True(r.ExitCode == 0, r.Describe());
    }

    // Proves `helm template` renders each ci values file into parseable YAML with the expected workloads.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Template_renders_parseable_manifests(string helm, string chart, string ciFile)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut);
        var kinds = objects.Select(o => o.Kind).ToHashSet();
        foreach (var k in new[] { "Secret", "Service", "StatefulSet", "Deployment", "Job", "Pod", "Ingress" })
            Assert.Contains(k, kinds);
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(o.Name), $"object without name:\n{o.Raw}"));
        Assert.Equal(objects.Count, objects.Select(o => o.Id).Distinct().Count());
    }

    // Proves every container (init containers, hook Jobs and helm test pods included) sets requests, limits and a hardened securityContext.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Every_container_has_resources_and_security_context(string helm, string chart, string ciFile)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut);
        var containers = objects.SelectMany(o => o.Containers().Select(c => (o, c.Node))).ToList();
        Assert.NotEmpty(containers);
        Assert.Contains(objects, o => o.Kind == "Job" && o.Containers().Any());
        Assert.Contains(objects, o => o.Kind == "Pod" && o.Annotations.GetValueOrDefault("helm.sh/hook") == "test");
        foreach (var (o, c) in containers)
        {
            var id = o.ContainerId(c);
            foreach (var section in new[] { "requests", "limits" })
                foreach (var res in new[] { "cpu", "memory" })
                    Assert.False(string.IsNullOrEmpty(c.Str("resources", section, res)), $"{id}: resources.{section}.{res} missing");
            Assert.True(c.Get("securityContext") is YamlDotNet.RepresentationModel.YamlMappingNode, $"{id}: no securityContext");
            Assert.Equal("false", c.Str("securityContext", "allowPrivilegeEscalation"));
            var drop = c.Get("securityContext", "capabilities", "drop") as YamlDotNet.RepresentationModel.YamlSequenceNode;
            Assert.True(drop is not null && drop.Children.Any(x => x.ToString() == "ALL"), $"{id}: capabilities.drop must contain ALL");
            // No exception: every container (WordPress included) runs as non-root.
            Assert.True(c.Str("securityContext", "runAsNonRoot") == "true", $"{id}: runAsNonRoot must be true");
        }
    }

    // Proves every rendered object carries the app.kubernetes.io/* and helm.sh/chart labels.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Every_object_has_standard_labels(string helm, string chart, string ciFile)
    {
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut))
        {
            var labels = o.Labels;
            foreach (var key in new[] { "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                                        "app.kubernetes.io/component", "app.kubernetes.io/managed-by", "helm.sh/chart" })
                Assert.True(labels.TryGetValue(key, out var v) && v.Length > 0, $"{o.Id}: label {key} missing");
            Assert.Equal(chart, labels["app.kubernetes.io/name"]);
            Assert.Equal("acme", labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]);
            var podLabels = o.PodSpec is null ? null : o.Root.Get(o.Kind == "Pod" ? ["metadata", "labels"] : ["spec", "template", "metadata", "labels"]).AsStringMap();
            if (podLabels is not null)
                Assert.True(podLabels.ContainsKey("app.kubernetes.io/component"), $"{o.Id}: pod template without component label");
        }
    }

    // Proves no template sets metadata.namespace (the release namespace store-<name> is applied by helm).
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void No_object_sets_metadata_namespace(string helm, string chart, string ciFile)
    {
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut))
            Assert.True(o.Metadata?.Get("namespace") is null, $"{o.Id} sets metadata.namespace");
    }

    // Proves no container lists an env var name twice (helm 4 server-side apply rejects duplicates) and $(VAR) references point to earlier vars.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void No_duplicate_env_names_and_references_resolve(string helm, string chart, string ciFile)
    {
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut))
            foreach (var (_, c) in o.Containers())
            {
                var names = new List<string>();
                if (c.Get("env") is YamlDotNet.RepresentationModel.YamlSequenceNode env)
                    foreach (var e in env.Children)
                    {
                        var name = e.Str("name")!;
                        Assert.DoesNotContain(name, names);
                        var value = e.Str("value") ?? "";
                        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(value, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)"))
                            Assert.True(names.Contains(m.Groups[1].Value), $"{o.ContainerId(c)}: {name} references $({m.Groups[1].Value}) which is not defined before it");
                        names.Add(name);
                    }
            }
    }

    // Proves images are pinned (no :latest, no missing tag) and the stock data stores are official images, not Bitnami.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Images_are_pinned_and_official(string helm, string chart, string ciFile)
    {
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut))
            foreach (var (_, c) in o.Containers())
            {
                var image = c.Str("image")!;
                var tag = image[(image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
                Assert.False(string.IsNullOrEmpty(tag) || tag == "latest", $"{o.ContainerId(c)}: image {image} is not pinned");
                Assert.DoesNotContain("bitnami", image, StringComparison.OrdinalIgnoreCase);
            }
        var images = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut).SelectMany(o => o.Containers().Select(c => c.Node.Str("image")!)).ToList();
        if (chart == "woocommerce")
        {
            Assert.Contains(images, i => System.Text.RegularExpressions.Regex.IsMatch(i, @"^wordpress:[0-9.]+-php8\.[0-9]+-apache$"));
            Assert.Contains(images, i => System.Text.RegularExpressions.Regex.IsMatch(i, @"^mariadb:[0-9.]+$"));
            Assert.Contains(images, i => System.Text.RegularExpressions.Regex.IsMatch(i, @"^wordpress:cli-[0-9.]+"));
        }
        else
        {
            Assert.Contains(images, i => System.Text.RegularExpressions.Regex.IsMatch(i, @"^postgres:[0-9.]+"));
            Assert.Contains(images, i => System.Text.RegularExpressions.Regex.IsMatch(i, @"^redis:[0-9.]+"));
        }
    }

    // Proves every inline shell script (hook Jobs, test pods) is syntactically valid POSIX sh (`sh -n`).
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Inline_shell_scripts_parse(string helm, string chart)
    {
        var scripts = 0;
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml").StdOut))
            foreach (var (_, c) in o.Containers())
            {
                var command = (c.Get("command") as YamlDotNet.RepresentationModel.YamlSequenceNode)?.Children.Select(x => x.ToString()).ToList();
                if (command is not ["/bin/sh", "-c"]) continue;
                var script = ((YamlDotNet.RepresentationModel.YamlSequenceNode)c.Get("args")!).Children[0].ToString();
                var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add("-n");
                using var p = System.Diagnostics.Process.Start(psi)!;
                p.StandardInput.Write(script);
                p.StandardInput.Close();
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                Assert.True(p.ExitCode == 0, $"{o.ContainerId(c)}: sh -n failed: {err}");
                scripts++;
            }
        Assert.True(scripts >= 2, "expected the hook Job and the test pod to use /bin/sh -c scripts");
    }
}
