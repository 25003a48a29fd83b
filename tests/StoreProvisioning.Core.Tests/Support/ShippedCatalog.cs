using StoreProvisioning.Catalog;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>The catalog the repository ships (helm/catalog.json), read with the platform chart's plan files.</summary>
public static class ShippedCatalog
{
    public static string HelmFolder { get; } = FindHelmFolder();

    public static string CatalogFile => Path.Combine(HelmFolder, "catalog.json");

    public static string PlatformChart => Path.Combine(HelmFolder, "store-namespace");

    public static StoreCatalog Load() => StoreCatalog.Load(CatalogFile, PlatformChart);

    private static string FindHelmFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "helm", "catalog.json");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("helm/catalog.json not found above " + AppContext.BaseDirectory);
    }
}
