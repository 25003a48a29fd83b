using System.Formats.Tar;
using System.IO.Compression;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>
/// The store charts share helm/store-common (a library chart) as a dependency vendored into their charts/ folder, so
/// `helm template`/`install` work on a fresh clone and in the container image without `helm dependency build`.
/// </summary>
public class LibraryChartTests
{
    // The vendored package is exactly the library chart in the repository: a change to helm/store-common without
    // `helm dependency build helm/<chart>` fails here instead of shipping stale helpers.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Vendored_library_matches_its_source(string chart)
    {
        var source = Path.Combine(RepositoryFiles.Root, "helm", Helm.LibraryChart);
        var version = Manifests.LoadMapping(Path.Combine(source, "Chart.yaml")).Str("version");
        var package = Path.Combine(Helm.ChartDir(chart), "charts", $"{Helm.LibraryChart}-{version}.tgz");
        Assert.True(File.Exists(package), $"{package} missing: run `helm dependency build helm/{chart}`");
        Assert.Single(Directory.GetFiles(Path.Combine(Helm.ChartDir(chart), "charts")));

        var packaged = new Dictionary<string, string>();
        using (var gz = new GZipStream(File.OpenRead(package), CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
            while (tar.GetNextEntry() is { } entry)
                if (entry.DataStream is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    packaged[entry.Name[(Helm.LibraryChart.Length + 1)..]] = new StreamReader(entry.DataStream).ReadToEnd();

        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(source, f).Replace('\\', '/'), File.ReadAllText);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), packaged.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in files)
        {
            // helm package re-serialises Chart.yaml, so that one is compared as data.
            var same = name == "Chart.yaml"
                ? Mapping(text).OrderBy(kv => kv.Key).SequenceEqual(Mapping(packaged[name]).OrderBy(kv => kv.Key))
                : text == packaged[name];
            Assert.True(same, $"charts/{Path.GetFileName(package)}: {name} differs from helm/{Helm.LibraryChart}/{name}; run `helm dependency build helm/{chart}`");
        }

        var chartYaml = Manifests.LoadMapping(Path.Combine(Helm.ChartDir(chart), "Chart.yaml"));
        var dependency = Assert.Single(((YamlDotNet.RepresentationModel.YamlSequenceNode)chartYaml.Get("dependencies")!).Children);
        Assert.Equal((Helm.LibraryChart, version, $"file://../{Helm.LibraryChart}"), (dependency.Str("name"), dependency.Str("version"), dependency.Str("repository")));
        var lockYaml = Manifests.LoadMapping(Path.Combine(Helm.ChartDir(chart), "Chart.lock"));
        Assert.Equal(version, Assert.Single(((YamlDotNet.RepresentationModel.YamlSequenceNode)lockYaml.Get("dependencies")!).Children).Str("version"));
    }

    // helm lint (the library chart too) and helm package handle every chart, and a packaged store chart renders on its own.
    [Theory]
    [InlineData(Helm.V3)]
    [InlineData(Helm.V4)]
    public void Every_chart_lints_and_packages(string helm)
    {
        var lint = Helm.Run(helm, "lint", "--strict", Path.Combine(RepositoryFiles.Root, "helm", Helm.LibraryChart));
        Assert.True(lint.ExitCode == 0, lint.Describe());
        var dir = Directory.CreateTempSubdirectory("charts-package-").FullName;
        try
        {
            foreach (var chart in (string[])[.. Helm.Charts, Helm.PlatformChart, Helm.LibraryChart])
            {
                var r = Helm.RunUncached(helm, "package", Path.Combine(RepositoryFiles.Root, "helm", chart), "--destination", dir);
                Assert.True(r.ExitCode == 0, r.Describe());
            }
            foreach (var chart in Helm.Charts)
            {
                var tgz = Assert.Single(Directory.GetFiles(dir, $"{chart}-*.tgz"));
                var r = Helm.RunUncached(helm, "template", "acme", tgz, "-n", "store-acme", "-f", Helm.FixturePath(chart));
                Assert.True(r.ExitCode == 0, r.Describe());
                Assert.Contains(Manifests.Parse(r.StdOut), o => o.Kind == "Secret" && o.Name == "acme-credentials");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // What is identical lives once: the store charts' templates use the library's helpers and define no copy of them.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Store_charts_use_the_library_instead_of_copies(string chart)
    {
        var templates = Directory.GetFiles(Path.Combine(Helm.ChartDir(chart), "templates"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var all = string.Join('\n', templates.Values);
        foreach (var helper in new[] { "fullname", "labels", "selectorLabels", "componentLabels", "secretName", "credential", "image", "adminEmail" })
            Assert.DoesNotContain($"define \"{chart}.{helper}\"", all);
        Assert.Contains("include \"store-common.credentialsSecret\"", templates["secret.yaml"]);
        Assert.Contains("include \"store-common.ingress\"", templates["ingress.yaml"]);
        Assert.DoesNotContain(templates.Keys, f => f is "limitrange.yaml" or "resourcequota.yaml" or "networkpolicy.yaml");
    }

    private static IReadOnlyDictionary<string, string> Mapping(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode.AsStringMap();
    }
}
