using System.Text.RegularExpressions;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>docs/deploy.md stays true: its helm install/upgrade commands render, and the names it uses exist.</summary>
public class DeployDocTests
{
    private static string DocPath => Path.Combine(RepositoryFiles.Root, "docs", "deploy.md");

    /// <summary>Shell commands of the doc's bash blocks, continuation lines joined and blockquote markers removed.</summary>
    private static List<string> Commands()
    {
        var commands = new List<string>();
        var inBash = false;
        var current = "";
        foreach (var raw in File.ReadAllLines(DocPath))
        {
            var line = Regex.Replace(raw, @"^\s*(>\s?)?", "");
            if (line.StartsWith("```", StringComparison.Ordinal)) { inBash = line.Trim() == "```bash"; continue; }
            if (!inBash) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            commands.Add(Regex.Replace(current + line, @"\s+", " ").Trim());
            current = "";
        }
        return commands.Where(c => c.Length > 0).ToList();
    }

    public static TheoryData<string, string> HelmInstallCommands()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in Commands().Where(c => Regex.IsMatch(c, @"^helm (install|upgrade) ")))
                d.Add(v, c);
        return d;
    }

    // Proves every `helm install`/`helm upgrade` of the doc renders under helm 3 and helm 4 with its own values
    // (a values file the doc copies is resolved to its source), i.e. the doc's commands pass the schema.
    [Theory]
    [MemberData(nameof(HelmInstallCommands))]
    public void Helm_commands_of_the_doc_render(string helm, string command)
    {
        var copies = Commands().Select(c => Regex.Match(c, @"^cp (\S+) (\S+)$")).Where(m => m.Success)
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        var words = command.Split(' ')[2..].ToList(); // after "helm install|upgrade"
        var args = new List<string> { "template" };
        string? release = null, chart = null;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            switch (w)
            {
                case "--install" or "--wait" or "--create-namespace" or "--atomic" or "--rollback-on-failure":
                    continue;
                case "--timeout":
                    i++;
                    continue;
                case "--namespace" or "--set":
                    args.Add(w); args.Add(words[++i]);
                    continue;
                case "--values" or "-f":
                    var file = words[++i];
                    args.Add("--values");
                    args.Add(Path.Combine(RepositoryFiles.Root, copies.GetValueOrDefault(file, file)));
                    continue;
            }
            Assert.False(w.StartsWith('-'), $"`{command}`: flag {w} is not understood by this test; teach it or drop the flag");
            if (release is null) release = w;
            else if (chart is null) chart = w;
            else Assert.Fail($"`{command}`: unexpected argument {w}");
        }
        Assert.Equal("control-plane", release);
        Assert.Equal("./helm/control-plane", chart);
        args.Insert(1, release!);
        args.Insert(2, Path.Combine(RepositoryFiles.Root, "helm", "control-plane"));
        Assert.Contains("--namespace", args);
        var r = Helm.Run(helm, [.. args]);
        Assert.True(r.ExitCode == 0, r.Describe());
    }

    // Proves the doc shows both kinds of install (local k3d and a real cluster) and an upgrade.
    [Fact]
    public void Doc_covers_install_real_cluster_and_upgrade()
    {
        var helm = Commands().Where(c => c.StartsWith("helm ", StringComparison.Ordinal)).ToList();
        Assert.Contains(helm, c => c.Contains("ci/k3d-values.yaml") && c.StartsWith("helm upgrade --install", StringComparison.Ordinal));
        Assert.Contains(helm, c => c.Contains("my-values.yaml") && c.StartsWith("helm upgrade --install", StringComparison.Ordinal));
        Assert.Contains(helm, c => c.StartsWith("helm upgrade control-plane", StringComparison.Ordinal) && c.Contains("image.functions.tag="));
        Assert.Contains("helm test control-plane --namespace control-plane", helm);
        Assert.Contains("helm uninstall control-plane --namespace control-plane", helm);
        var all = Commands();
        Assert.Contains("k3d cluster create stores -p '8080:80@loadbalancer'", all);
        Assert.Contains("scripts/images.sh", all);
        Assert.Contains(all, c => c.StartsWith("k3d image import store-provisioning/control-plane:", StringComparison.Ordinal));
        Assert.Contains("docs/deploy.md", File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md")));
    }

    // Proves the object names the doc's kubectl commands and prose use are the ones the chart renders with the
    // doc's release and namespace, and the image tags match the chart's appVersion.
    [Fact]
    public void Names_in_the_doc_exist_in_the_rendered_chart()
    {
        var doc = File.ReadAllText(DocPath);
        var objects = ControlPlaneChart.RenderCi(Helm.V4, "k3d-values.yaml");
        string[] expected =
        [
            "deployment/control-plane-functions", "Deployment `control-plane-functions`", "Deployment `control-plane-dashboard`",
            "Deployment `control-plane-azurite`", "PersistentVolumeClaim `control-plane-data`", "claimName: control-plane-data",
            "delete pvc control-plane-data control-plane-azurite", "subjects: [{ kind: ServiceAccount, name: control-plane, namespace: control-plane }]",
        ];
        foreach (var text in expected) Assert.Contains(text, doc);
        foreach (var (kind, name) in new[] { ("Deployment", "control-plane-functions"), ("Deployment", "control-plane-dashboard"), ("Deployment", "control-plane-azurite"),
                     ("PersistentVolumeClaim", "control-plane-data"), ("PersistentVolumeClaim", "control-plane-azurite"), ("ServiceAccount", "control-plane"), ("Ingress", "control-plane") })
            Assert.Contains(objects, o => o.Kind == kind && o.Name == name);
        var storeRole = objects.Single("ClusterRole", "-store-namespace").Name;
        Assert.Contains($"name: {storeRole} }}", doc);
        var sqlite = objects.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap()["SQLITE_PATH"];
        Assert.Contains($"db-backup:{sqlite}", doc);
        var appVersion = File.ReadAllLines(Path.Combine(ControlPlaneChart.Dir, "Chart.yaml")).Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal)).Split(':', 2)[1].Trim().Trim('"');
        Assert.Contains($"store-provisioning/control-plane:{appVersion} store-provisioning/dashboard:{appVersion}", doc);
    }
}
