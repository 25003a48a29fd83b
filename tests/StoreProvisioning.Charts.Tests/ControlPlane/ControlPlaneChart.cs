using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>Renders helm/control-plane (release "control-plane" in namespace "control-plane") with the real helm binaries.</summary>
public static class ControlPlaneChart
{
    public const string Release = "control-plane";
    public const string Namespace = "control-plane";

    public static string Dir => Path.Combine(Helm.RepoRoot, "helm", "control-plane");

    public static IEnumerable<string> CiValuesFiles() =>
        Directory.GetFiles(Path.Combine(Dir, "ci"), "*-values.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);

    public static string CiPath(string file) => Path.Combine(Dir, "ci", file);

    /// <summary>helm template with the given extra arguments; asserts success.</summary>
    public static List<K8sObject> Render(string helm, params string[] extra)
    {
        var r = Helm.Run(helm, ["template", Release, Dir, "--namespace", Namespace, .. extra]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException("helm template failed: " + r.Describe());
        return Manifests.Parse(r.StdOut);
    }

    public static List<K8sObject> RenderCi(string helm, string ciFile, params string[] extra) => Render(helm, ["-f", CiPath(ciFile), .. extra]);

    public static HelmResult TryRender(string helm, params string[] extra) =>
        Helm.Run(helm, ["template", Release, Dir, "--namespace", Namespace, .. extra]);

    public static K8sObject Single(this IEnumerable<K8sObject> objects, string kind, string nameSuffix) =>
        Assert.Single(objects, o => o.Kind == kind && o.Name.EndsWith(nameSuffix, StringComparison.Ordinal));

    public static YamlMappingNode Container(this K8sObject workload, string name) =>
        Assert.Single(workload.Containers(), c => c.Node.Str("name") == name).Node;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode s ? s.Children : [];

    public static IEnumerable<string> Strings(this YamlNode? node) => node.Items().OfType<YamlScalarNode>().Select(s => s.Value ?? "");

    /// <summary>helm version × ci values file of the control-plane chart.</summary>
    public static TheoryData<string, string> VersionsAndCiFiles()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var f in CiValuesFiles())
                d.Add(v, f);
        return d;
    }

    public static TheoryData<string> Versions()
    {
        var d = new TheoryData<string>();
        foreach (var v in Helm.Versions) d.Add(v);
        return d;
    }
}
