using System.Text.Json.Nodes;
using StoreProvisioning.Catalog;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Catalog;

public sealed class StoreCatalogTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    // The shipped catalog: three plans backed by the platform chart's plan files, versions for both engines.
    [Fact]
    public void Shipped_catalog_loads()
    {
        var catalog = ShippedCatalog.Load();
        Assert.Equal(["small", "medium", "large"], catalog.Plans.Select(p => p.Name));
        Assert.Equal("small", catalog.DefaultPlan);
        Assert.All(catalog.Plans, p => Assert.True(File.Exists(p.NamespaceValuesFile), p.NamespaceValuesFile));
        Assert.Equal("6.8", catalog.For(StoreEngine.WooCommerce).DefaultVersion);
        Assert.Equal("6.8.3-php8.3-apache", catalog.For(StoreEngine.WooCommerce).Default.Values["image"]!["tag"]!.GetValue<string>());
        Assert.Equal("2.21", catalog.For(StoreEngine.Medusa).DefaultVersion);
    }

    // A catalog file with problems stops the app naming each of them, and the setting.
    [Fact]
    public void Bad_catalog_names_every_problem()
    {
        var path = dir.File("catalog.json");
        File.WriteAllText(path, """
            // comments are allowed
            {
              "defaultPlan": "gold",
              "plans": [
                { "name": "small", "values": { "woocommerce": { "securityContext": { "runAsUser": 0 } } } },
                { "name": "tiny", "namespaceValues": "plans/tiny.yaml" }
              ],
              "engines": {
                "woocommerce": { "versions": [ { "version": "6.8", "values": { "image": { "tag": "x" } } } ], "defaultVersion": "7.0" }
              }
            }
            """);
        var ex = Assert.Throws<InvalidOperationException>(() => StoreCatalog.Load(path, ShippedCatalog.PlatformChart));
        Assert.Contains("plans[0].values.woocommerce.securityContext", ex.Message);
        Assert.Contains("plans/tiny.yaml does not exist", ex.Message);
        Assert.Contains("defaultVersion '7.0'", ex.Message);
        Assert.Contains("engines.medusa is missing", ex.Message);
        Assert.Contains("defaultPlan 'gold'", ex.Message);
    }

    // A missing or unparsable file names CATALOG_PATH.
    [Fact]
    public void Missing_or_unparsable_file()
    {
        Assert.Contains("CATALOG_PATH", Assert.Throws<InvalidOperationException>(() => StoreCatalog.Load(dir.File("nope.json"), ShippedCatalog.PlatformChart)).Message);
        File.WriteAllText(dir.File("bad.json"), "{ not json");
        Assert.Contains("is not JSON", Assert.Throws<InvalidOperationException>(() => StoreCatalog.Load(dir.File("bad.json"), ShippedCatalog.PlatformChart)).Message);
    }

    // A version may set images (that is what it is for) but nothing else the boundary forbids.
    [Fact]
    public void Version_values_may_set_images_only_among_forbidden_keys()
    {
        var errors = new List<string>();
        var root = JsonNode.Parse("""
            { "plans": [ { "name": "small" } ],
              "engines": {
                "woocommerce": { "versions": [ { "version": "1", "values": { "image": { "tag": "a" }, "service": { "type": "NodePort" } } } ] },
                "medusa": { "versions": [ { "version": "2", "values": { "image": { "tag": "b" } } } ] } } }
            """)!.AsObject();
        StoreCatalog.Parse(root, ShippedCatalog.PlatformChart, errors);
        Assert.Equal(["engines.woocommerce.versions[0].values.service.type: The Service type is always ClusterIP; stores are reached through the ingress."], errors);
    }
}
