using System.Text.Json;
using System.Text.Json.Nodes;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Catalog;

/// <summary>One approved version of an engine: what tenants pick, and the chart image values it stands for.</summary>
/// <param name="Version">What a tenant sends as <c>version</c>, e.g. "6.8".</param>
/// <param name="Title">How the dashboard shows it.</param>
/// <param name="Values">Chart values the version sets (image repositories and tags), from the operator's catalog file.</param>
public sealed record CatalogVersion(string Version, string Title, JsonObject Values);

/// <summary>A plan: the store's size. The namespace quota and limits live in the platform chart's plan file of the same name.</summary>
/// <param name="Name">small, medium, large, ...</param>
/// <param name="Title">How the dashboard shows it.</param>
/// <param name="MaxReplicas">The most web replicas a tenant may ask for on this plan.</param>
/// <param name="NamespaceValuesFile">The platform chart values file with the plan's ResourceQuota and LimitRange.</param>
/// <param name="Values">Chart values per engine (resources, storage sizes) the plan sets.</param>
public sealed record CatalogPlan(string Name, string Title, int MaxReplicas, string NamespaceValuesFile, IReadOnlyDictionary<StoreEngine, JsonObject> Values);

/// <summary>The versions of one engine, and the one a store gets when it names none.</summary>
public sealed record EngineCatalog(StoreEngine Engine, string DefaultVersion, IReadOnlyList<CatalogVersion> Versions)
{
    public CatalogVersion? Find(string version) => Versions.FirstOrDefault(v => v.Version == version);

    public CatalogVersion Default => Find(DefaultVersion)!;
}

/// <summary>
/// The operator's catalog (CATALOG_PATH): approved versions per engine and the plans. Tenants choose from it; nothing
/// outside it reaches a chart. Loaded once at start; a bad file stops the app with every problem named.
/// </summary>
public sealed record StoreCatalog(IReadOnlyDictionary<StoreEngine, EngineCatalog> Engines, IReadOnlyList<CatalogPlan> Plans, string DefaultPlan)
{
    public EngineCatalog For(StoreEngine engine) => Engines[engine];

    public CatalogPlan? FindPlan(string name) => Plans.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// Reads and checks the catalog file. Plan files are resolved against <paramref name="platformChartPath"/> when
    /// relative, and must exist. Throws <see cref="InvalidOperationException"/> naming every problem.
    /// </summary>
    public static StoreCatalog Load(string path, string platformChartPath)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Invalid settings: CATALOG_PATH='{path}' does not exist (the shipped default is helm/catalog.json).");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Invalid settings: the catalog {path} is not JSON: {ex.Message}", ex);
        }

        var errors = new List<string>();
        var catalog = Parse(root as JsonObject, platformChartPath, errors);
        if (errors.Count > 0 || catalog is null)
        {
            throw new InvalidOperationException($"Invalid settings: the catalog {path} is not usable: " + string.Join(" ", errors));
        }

        return catalog;
    }

    /// <summary>Builds a catalog from its JSON; <paramref name="errors"/> collects what is wrong.</summary>
    public static StoreCatalog? Parse(JsonObject? root, string platformChartPath, List<string> errors)
    {
        if (root is null)
        {
            errors.Add("the catalog must be a JSON object with \"engines\" and \"plans\".");
            return null;
        }

        var engines = new Dictionary<StoreEngine, EngineCatalog>();
        foreach (var engine in Enum.GetValues<StoreEngine>())
        {
            if (root["engines"]?[engine.Name()] is not JsonObject entry)
            {
                errors.Add($"engines.{engine.Name()} is missing.");
                continue;
            }

            var versions = new List<CatalogVersion>();
            foreach (var (node, index) in (entry["versions"] as JsonArray ?? []).Select((n, i) => (n, i)))
            {
                var where = $"engines.{engine.Name()}.versions[{index}]";
                var version = Text(node?["version"]);
                if (version is null || !CatalogRules.IsVersionName(version))
                {
                    errors.Add($"{where}.version must be 1..32 of [A-Za-z0-9._-].");
                    continue;
                }

                var values = node?["values"] as JsonObject;
                if (values is null)
                {
                    errors.Add($"{where}.values must be an object of chart values (the image repositories and tags).");
                    continue;
                }

                errors.AddRange(UpgradeValuesPolicy.ForbiddenIn(values, allowImages: true).Select(e => $"{where}.values.{e}"));
                versions.Add(new CatalogVersion(version, Text(node?["title"]) ?? version, (JsonObject)values.DeepClone()));
            }

            if (versions.Count == 0)
            {
                errors.Add($"engines.{engine.Name()}.versions must list at least one version.");
                continue;
            }

            var defaultVersion = Text(entry["defaultVersion"]) ?? versions[0].Version;
            if (versions.All(v => v.Version != defaultVersion))
            {
                errors.Add($"engines.{engine.Name()}.defaultVersion '{defaultVersion}' is not one of its versions.");
            }

            engines[engine] = new EngineCatalog(engine, defaultVersion, versions);
        }

        var plans = new List<CatalogPlan>();
        foreach (var (node, index) in (root["plans"] as JsonArray ?? []).Select((n, i) => (n, i)))
        {
            var where = $"plans[{index}]";
            var name = Text(node?["name"]);
            if (name is null || !CatalogRules.IsPlanName(name))
            {
                errors.Add($"{where}.name must be a DNS label of 1..32 characters.");
                continue;
            }

            var file = Text(node?["namespaceValues"]) ?? $"plans/{name}.yaml";
            var fullFile = Path.GetFullPath(Path.Combine(platformChartPath, file));
            if (!File.Exists(fullFile))
            {
                errors.Add($"{where}.namespaceValues: {fullFile} does not exist (the platform chart's plan file with the quota and limits).");
            }

            var maxReplicas = node?["maxReplicas"] is JsonValue r && r.TryGetValue<int>(out var m) ? m : 1;
            if (maxReplicas is < 1 or > 20)
            {
                errors.Add($"{where}.maxReplicas must be 1..20.");
            }

            var values = new Dictionary<StoreEngine, JsonObject>();
            foreach (var engine in Enum.GetValues<StoreEngine>())
            {
                var engineValues = node?["values"]?[engine.Name()] as JsonObject ?? [];
                errors.AddRange(UpgradeValuesPolicy.ForbiddenIn(engineValues, allowImages: false).Select(e => $"{where}.values.{engine.Name()}.{e}"));
                values[engine] = (JsonObject)engineValues.DeepClone();
            }

            plans.Add(new CatalogPlan(name, Text(node?["title"]) ?? name, maxReplicas, fullFile, values));
        }

        if (plans.Count == 0)
        {
            errors.Add("plans must list at least one plan.");
        }

        var defaultPlan = Text(root["defaultPlan"]) ?? plans.FirstOrDefault()?.Name ?? "small";
        if (plans.Count > 0 && plans.All(p => p.Name != defaultPlan))
        {
            errors.Add($"defaultPlan '{defaultPlan}' is not one of the plans.");
        }

        return new StoreCatalog(engines, plans, defaultPlan);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
