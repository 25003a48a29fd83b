using System.Text.Json;
using System.Text.Json.Nodes;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Catalog;

/// <summary>
/// Turns a store's plan and its accepted upgrade values into the chart values the control plane passes to helm, in
/// this order (later wins): the plan's sizing, the chosen (or default) version's images, the tenant settings mapped
/// onto the chart (storeTitle → setup.storeTitle, replicas → replicaCount), then an operator's chart keys. Pure.
/// </summary>
public static class ChartOverrides
{
    /// <summary>The chart values, or why they cannot be built (a plan or version the catalog no longer has).</summary>
    public static (JsonObject? Values, string? Error) Build(StoreEngine engine, StoreCatalog catalog, string plan, JsonElement? accepted)
    {
        var requested = accepted is { ValueKind: JsonValueKind.Object } v ? v : (JsonElement?)null;
        var planName = requested is { } r && r.TryGetProperty("plan", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : plan;
        if (catalog.FindPlan(planName) is not { } catalogPlan)
        {
            return (null, $"plan '{planName}' is not in the catalog (CATALOG_PATH); plans: {string.Join(", ", catalog.Plans.Select(x => x.Name))}");
        }

        var engineCatalog = catalog.For(engine);
        var versionName = requested is { } rv && rv.TryGetProperty("version", out var ver) && ver.ValueKind == JsonValueKind.String
            ? ver.GetString()!
            : engineCatalog.DefaultVersion;
        if (engineCatalog.Find(versionName) is not { } version)
        {
            return (null, $"{engine.Name()} version '{versionName}' is not in the catalog (CATALOG_PATH) any more; approved: {string.Join(", ", engineCatalog.Versions.Select(x => x.Version))}");
        }

        var values = new JsonObject();
        Merge(values, catalogPlan.Values[engine]);
        Merge(values, version.Values);
        if (requested is { } settings)
        {
            var tenant = UpgradeValuesPolicy.TenantSettings(engine);
            var mapped = new JsonObject();
            foreach (var property in settings.EnumerateObject())
            {
                if (SettingPaths.TryGetValue(property.Name, out var path))
                {
                    Merge(mapped, At(path, JsonNode.Parse(property.Value.GetRawText())));
                }
                else if (!tenant.Contains(property.Name))
                {
                    mapped[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }

            Merge(values, mapped);
        }

        return (values, null);
    }

    /// <summary>
    /// The chart value path each tenant setting is written to (plan and version choose catalog values instead): the one
    /// mapping, used to build the values and to decide which of a revision's values a tenant sees
    /// (<see cref="UpgradeValuesPolicy.TenantVisible"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SettingPaths = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["storeTitle"] = "setup.storeTitle",
        ["replicas"] = "replicaCount",
    };

    /// <summary>{"a": {"b": value}} for the dotted path "a.b".</summary>
    private static JsonObject At(string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode? node = value;
        for (var i = parts.Length - 1; i > 0; i--)
        {
            node = new JsonObject { [parts[i]] = node };
        }

        return new JsonObject { [parts[0]] = node };
    }

    /// <summary>Deep merge, as helm merges values files: objects merge key by key, anything else replaces.</summary>
    public static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, node) in source)
        {
            if (node is JsonObject sourceChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, sourceChild);
            }
            else
            {
                target[key] = node?.DeepClone();
            }
        }
    }
}
