using System.Text.Json;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>A chart's values.schema.json, walked with its local $refs resolved.</summary>
public sealed class Schema
{
    private readonly JsonElement root;

    private Schema(JsonElement root) => this.root = root;

    public static Schema Load(string chart) =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(Helm.ChartDir(chart), "values.schema.json"))).RootElement.Clone());

    /// <summary>One node of the schema with the values path leading to it ("[]" = an array item).</summary>
    public sealed record Node(IReadOnlyList<string> Path, JsonElement Element)
    {
        public string Display => string.Join('.', Path);
        public bool IsString => Types.Contains("string");
        public bool IsObject => Types.Contains("object");
        public IReadOnlyList<string> Types =>
            Element.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [t.GetString()!]
                : [];
    }

    /// <summary>Every node reachable from the root through properties and array items.</summary>
    public IEnumerable<Node> Walk() => Walk([], root, 0);

    private IEnumerable<Node> Walk(IReadOnlyList<string> path, JsonElement element, int depth)
    {
        if (depth > 32) throw new InvalidOperationException($"schema too deep (recursive $ref?) at {string.Join('.', path)}");
        element = Resolve(element);
        yield return new Node(path, element);
        if (element.TryGetProperty("properties", out var props))
            foreach (var p in props.EnumerateObject())
                foreach (var n in Walk([.. path, p.Name], p.Value, depth + 1)) yield return n;
        if (element.TryGetProperty("items", out var items))
            foreach (var n in Walk([.. path, "[]"], items, depth + 1)) yield return n;
    }

    private JsonElement Resolve(JsonElement element)
    {
        while (element.TryGetProperty("$ref", out var r))
        {
            var reference = r.GetString()!;
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidOperationException($"only local $ref supported: {reference}");
            element = reference[2..].Split('/').Aggregate(root, (e, key) => e.GetProperty(key));
        }
        return element;
    }
}
