using System.Security.Cryptography;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Cluster;

/// <summary>
/// Credentials generated for a store's install. They travel only inside a values file readable by this process;
/// the chart keeps an existing Secret over them, so they stay the same across upgrade, rollback and re-install.
/// </summary>
public sealed record StoreCredentials(IReadOnlyDictionary<string, string> Values)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /// <summary>The secret values, for redaction.</summary>
    public IReadOnlyCollection<string> Secrets => Values.Where(kv => kv.Key != "adminEmail").Select(kv => kv.Value).ToList();

    /// <summary>A fresh set with exactly the keys the engine's chart declares under credentials.</summary>
    public static StoreCredentials Generate(StoreEngine engine, string host)
    {
        var values = new Dictionary<string, string>
        {
            ["adminEmail"] = $"admin@{host}",
            ["adminPassword"] = Random(24),
            ["databasePassword"] = Random(24),
        };

        switch (engine)
        {
            case StoreEngine.WooCommerce:
                values["databaseRootPassword"] = Random(24);
                break;
            case StoreEngine.Medusa:
                values["jwtSecret"] = Random(48);
                values["cookieSecret"] = Random(48);
                break;
        }

        return new StoreCredentials(values);
    }

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
