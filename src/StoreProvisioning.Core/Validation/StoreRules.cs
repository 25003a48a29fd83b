using System.Text.RegularExpressions;

namespace StoreProvisioning.Validation;

/// <summary>What a valid store name and user id look like. The dashboard mirrors these rules.</summary>
public static partial class StoreRules
{
    public const int NameMinLength = 3;
    public const int NameMaxLength = 40;
    public const int UserIdMaxLength = 64;

    /// <summary>Names that would collide with the API's own routes under /api/stores.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal) { "metrics", "activity", "health" };

    /// <summary>Null when valid, otherwise why not, in words a person can act on.</summary>
    public static string? CheckName(string name)
    {
        if (name.Length < NameMinLength || name.Length > NameMaxLength)
        {
            return $"storeName must be {NameMinLength} to {NameMaxLength} characters long (it is {name.Length}).";
        }

        if (!NamePattern().IsMatch(name))
        {
            return "storeName must be a DNS label: lower-case letters, digits and '-', starting with a letter and not ending with '-' (e.g. 'acme-shop').";
        }

        return ReservedNames.Contains(name) ? $"storeName '{name}' is reserved; choose another name." : null;
    }

    public static string? CheckUserId(string userId)
    {
        if (userId.Length is 0 or > UserIdMaxLength)
        {
            return $"userId must be 1 to {UserIdMaxLength} characters long.";
        }

        return UserIdPattern().IsMatch(userId) ? null : "userId may contain only letters, digits, '.', '_', '@' and '-'.";
    }

    // \z, not $: in .NET "$" also matches before a final "\n", which would admit "acme\n".
    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._@-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();
}
