using System.Globalization;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>Kubernetes resource quantities as decimals (cpu in cores, memory and storage in bytes).</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m),
    ];

    public static decimal Parse(string text)
    {
        foreach (var (suffix, factor) in Suffixes)
            if (text.EndsWith(suffix, StringComparison.Ordinal))
                return decimal.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }
}
