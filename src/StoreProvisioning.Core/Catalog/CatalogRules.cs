using System.Text.RegularExpressions;

namespace StoreProvisioning.Catalog;

/// <summary>What a plan name and a version name look like (they reach labels and file names).</summary>
public static partial class CatalogRules
{
    public static bool IsPlanName(string name) => PlanName().IsMatch(name);

    public static bool IsVersionName(string name) => VersionName().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlanName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionName();
}
