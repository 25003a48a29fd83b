using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>
/// No YAML injection: every string a values file can set is bounded by the schema, and whatever the schema lets
/// through reaches the manifests as data (quoted or toYaml/toJson), never as YAML structure.
/// </summary>
public class InjectionTests
{
    public static readonly string[] AllCharts = [.. Helm.Charts, Helm.PlatformChart];

    /// <summary>An upgrade value that, rendered raw, would add a ClusterRoleBinding to cluster-admin.</summary>
    public const string MultiDocumentPayload =
        "x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: pwned\n" +
        "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n" +
        "subjects:\n  - kind: ServiceAccount\n    name: default\n    namespace: store-acme\n";

    /// <summary>One line of YAML syntax (quotes, flow collections, anchors, comments, template braces, a document marker).</summary>
    public const string OneLinePayload = "x\": {y: [z]}, ' #&a *a | > {{ .Release.Name }} --- ";

    public static TheoryData<string, string> VersionsAndAllCharts()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in AllCharts)
                d.Add(v, c);
        return d;
    }

    public static TheoryData<string> AllChartsOnly()
    {
        var d = new TheoryData<string>();
        foreach (var c in AllCharts) d.Add(c);
        return d;
    }

    // Every string property of the schema, set to each payload, either fails the schema with a message naming the
    // property, or renders exactly the objects rendered without it with the payload intact as a scalar. A YAML parse
    // error, an extra or missing object, or any other failure means the raw value reached a manifest.
    [Theory]
    [MemberData(nameof(VersionsAndAllCharts))]
    public void Every_string_value_is_rejected_or_rendered_as_data(string helm, string chart)
    {
        var baseArgs = BaseArgs(chart);
        var baseline = Helm.Run(helm, [.. baseArgs]);
        Assert.True(baseline.ExitCode == 0, baseline.Describe());
        var expectedIds = Ids(Manifests.Parse(baseline.StdOut));

        var strings = Schema.Load(chart).Walk().Where(n => n.IsString).ToList();
        Assert.True(strings.Count >= 10, $"only {strings.Count} string properties found in {chart}'s schema");

        var failures = new ConcurrentBag<string>();
        var accepted = new ConcurrentBag<string>();
        var cases = strings.SelectMany(n => new[] { (Node: n, Payload: MultiDocumentPayload), (Node: n, Payload: OneLinePayload) }).ToList();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"inject-{chart}-{helm}-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, ValuesWith(c.Node.Path, c.Payload).ToJsonString());
            try
            {
                var r = Helm.RunUncached(helm, [.. baseArgs, "-f", path]);
                var what = $"{c.Node.Display} = {(c.Payload == MultiDocumentPayload ? "multi-document payload" : "one-line payload")}";
                if (r.ExitCode != 0)
                {
                    var fieldPattern = string.Join("[./]", c.Node.Path.Select(p => p == "[]" ? "[0-9]+" : Regex.Escape(p)));
                    if (!r.StdErr.Contains("schema", StringComparison.Ordinal) || !Regex.IsMatch(r.StdErr, fieldPattern))
                        failures.Add($"{what}: failed without a schema error naming the field\n{r.StdErr}");
                    return;
                }
                List<K8sObject> objects;
                try { objects = Manifests.Parse(r.StdOut); }
                catch (Exception e) { failures.Add($"{what}: rendered output is not valid YAML: {e.Message}"); return; }
                var ids = Ids(objects);
                if (!ids.SequenceEqual(expectedIds))
                    failures.Add($"{what}: rendered objects changed\nexpected: {string.Join(", ", expectedIds)}\nactual:   {string.Join(", ", ids)}");
                else if (!objects.Any(o => o.Root.AllNodes.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Any(s => s.Value?.Contains(c.Payload.Trim(), StringComparison.Ordinal) == true)))
                    failures.Add($"{what}: accepted, but the value is not in any rendered scalar");
                else accepted.Add(what);
            }
            finally { File.Delete(path); }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
        // Free-text values (shop title, product name) take the one-line payload and must carry it as data.
        if (chart == "woocommerce")
            Assert.Contains(accepted, a => a.StartsWith("setup.storeTitle = one-line", StringComparison.Ordinal));
    }

    // The schema bounds every string (pattern or enum, and maxLength) and closes every object (additionalProperties: false).
    [Theory]
    [MemberData(nameof(AllChartsOnly))]
    public void Schema_bounds_every_string_and_closes_every_object(string chart)
    {
        var problems = new List<string>();
        foreach (var n in Schema.Load(chart).Walk())
        {
            var e = n.Element;
            if (n.IsString)
            {
                if (!e.TryGetProperty("pattern", out _) && !e.TryGetProperty("enum", out _)) problems.Add($"{n.Display}: string without pattern or enum");
                if (!e.TryGetProperty("maxLength", out _)) problems.Add($"{n.Display}: string without maxLength");
            }
            if (n.IsObject && !(e.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False))
                problems.Add($"{n.Display}: object without additionalProperties: false");
            if (n.Types.Count == 0) problems.Add($"{n.Display}: no type");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static List<string> BaseArgs(string chart) => chart == Helm.PlatformChart
        ? ["template", "acme", Helm.ChartDir(chart), "--namespace", "store-acme", "-f", Helm.PlanPath("small"), "-f", Helm.CiValuesPath(chart, "woocommerce-values.yaml")]
        : ["template", "acme", Helm.ChartDir(chart), "--namespace", "store-acme", "-f", Helm.FixturePath(chart)];

    private static List<string> Ids(IEnumerable<K8sObject> objects) => [.. objects.Select(o => o.Id).Order(StringComparer.Ordinal)];

    private static JsonNode ValuesWith(IReadOnlyList<string> path, string payload)
    {
        JsonNode node = JsonValue.Create(payload);
        for (var i = path.Count - 1; i >= 0; i--)
            node = path[i] == "[]" ? new JsonArray(node) : new JsonObject { [path[i]] = node };
        return node;
    }
}
