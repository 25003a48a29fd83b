using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using StoreProvisioning.Catalog;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Api;

/// <summary>GET /api/catalog: the plans and approved versions per engine, and which settings a caller may send on upgrade.</summary>
public sealed class CatalogApi(StoreCatalog catalog)
{
    public sealed record PlanEntry(string Name, string Title, int MaxReplicas);

    public sealed record VersionEntry(string Version, string Title);

    public sealed record EngineEntry(string Engine, string DefaultVersion, IReadOnlyList<VersionEntry> Versions, IReadOnlyList<string> Settings, IReadOnlyList<string> OperatorSettings);

    public sealed record CatalogResponse(string DefaultPlan, IReadOnlyList<PlanEntry> Plans, IReadOnlyList<EngineEntry> Engines);

    [Function("GetCatalog")]
    public IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog")] HttpRequest request) =>
        ApiJson.Ok(Describe(catalog));

    public static CatalogResponse Describe(StoreCatalog catalog) => new(
        catalog.DefaultPlan,
        catalog.Plans.Select(p => new PlanEntry(p.Name, p.Title, p.MaxReplicas)).ToList(),
        catalog.Engines.Values.OrderBy(e => e.Engine).Select(e => new EngineEntry(
            e.Engine.Name(),
            e.DefaultVersion,
            e.Versions.Select(v => new VersionEntry(v.Version, v.Title)).ToList(),
            UpgradeValuesPolicy.TenantSettings(e.Engine),
            UpgradeValuesPolicy.OperatorSettings(e.Engine))).ToList());
}
