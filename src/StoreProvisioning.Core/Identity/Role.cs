namespace StoreProvisioning.Identity;

/// <summary>What a caller may do. Each role includes the rights of the ones before it.</summary>
public enum Role
{
    /// <summary>Owns stores; sees and acts only on their own stores and activity.</summary>
    User,

    /// <summary>Sees and acts on every store, all activity and metrics.</summary>
    Operator,

    /// <summary>Operator rights plus key management.</summary>
    Admin,
}

/// <summary>The roles' names on the wire, in keys and in token claims.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>For attributes that admit operators and admins.</summary>
    public const string OperatorOrAdmin = Operator + "," + Admin;

    public static string Name(this Role role) => role switch
    {
        Role.User => User,
        Role.Operator => Operator,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? text, out Role role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case User:
                role = Role.User;
                return true;
            case Operator:
                role = Role.Operator;
                return true;
            case Admin:
                role = Role.Admin;
                return true;
            default:
                role = Role.User;
                return false;
        }
    }

    /// <summary>The highest known role among a token's role claims; <see cref="Role.User"/> when none is known.</summary>
    public static Role Highest(IEnumerable<string> names) =>
        names.Select(n => TryParse(n, out var r) ? r : (Role?)null).Where(r => r is not null).Select(r => r!.Value).DefaultIfEmpty(Role.User).Max();
}
