using System.Text.Json;
using StoreProvisioning.Catalog;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Catalog;

public class ChartOverridesTests
{
    private static readonly StoreCatalog Catalog = ShippedCatalog.Load();

    private static JsonElement Values(string json) => JsonDocument.Parse(json).RootElement;

    // Without settings: the store's plan sizing and the engine's default version.
    [Fact]
    public void Install_gets_plan_and_default_version()
    {
        var (values, error) = ChartOverrides.Build(StoreEngine.WooCommerce, Catalog, "medium", null);
        Assert.Null(error);
        Assert.Equal("10Gi", values!["persistence"]!["size"]!.GetValue<string>());
        Assert.Equal("6.8.3-php8.3-apache", values["image"]!["tag"]!.GetValue<string>());
        Assert.Equal("cli-2.12.0-php8.3", values["setup"]!["image"]!["tag"]!.GetValue<string>());
    }

    // Tenant settings map onto the chart; the plan in the request wins over the row's; operator keys apply last.
    [Fact]
    public void Settings_map_onto_the_chart_in_order()
    {
        var (values, _) = ChartOverrides.Build(
            StoreEngine.WooCommerce, Catalog, "small",
            Values("""{"plan":"large","version":"6.7","storeTitle":"Acme","persistence":{"size":"60Gi"}}"""));
        Assert.Equal("6.7.2-php8.3-apache", values!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal("Acme", values["setup"]!["storeTitle"]!.GetValue<string>());
        Assert.Equal("cli-2.12.0-php8.3", values["setup"]!["image"]!["tag"]!.GetValue<string>()); // merged, not replaced
        Assert.Equal("60Gi", values["persistence"]!["size"]!.GetValue<string>());
        Assert.Equal("3", values["resources"]!["limits"]!["cpu"]!.GetValue<string>()); // large plan sizing
        Assert.Null(values["plan"]);
        Assert.Null(values["version"]);
        Assert.Null(values["storeTitle"]);

        var (medusa, _) = ChartOverrides.Build(StoreEngine.Medusa, Catalog, "medium", Values("""{"replicas":2}"""));
        Assert.Equal(2, medusa!["replicaCount"]!.GetValue<int>());
    }

    // A retried upgrade whose version or plan left the catalog fails with the reason instead of installing something else.
    [Fact]
    public void Catalog_changes_are_reported()
    {
        Assert.Contains("version '6.1' is not in the catalog", ChartOverrides.Build(StoreEngine.WooCommerce, Catalog, "small", Values("""{"version":"6.1"}""")).Error);
        Assert.Contains("plan 'gold' is not in the catalog", ChartOverrides.Build(StoreEngine.WooCommerce, Catalog, "gold", null).Error);
    }
}
