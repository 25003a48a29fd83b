using System.Security.Claims;
using StoreProvisioning.Identity;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// Turns an authenticated principal into a <see cref="Caller"/>: the identity's name claim is the user id, its role
/// claims give the highest of user/operator/admin (user when none is known). Each scheme's identity names its own
/// claim types (AUTH_USER_CLAIM / AUTH_ROLE_CLAIM for tokens), so this mapping is the same for all of them.
/// </summary>
public static class CallerClaims
{
    public const string UserId = "sub";
    public const string Role = "roles";

    /// <summary>The caller, or why this principal cannot be one (no usable user id).</summary>
    public static (Caller? Caller, string? Problem) From(ClaimsPrincipal principal)
    {
        var identity = principal.Identities.FirstOrDefault(i => i.IsAuthenticated);
        if (identity is null)
        {
            return (null, "The credential carries no authenticated identity.");
        }

        var userId = identity.FindFirst(identity.NameClaimType)?.Value;
        if (string.IsNullOrEmpty(userId))
        {
            return (null, $"The credential has no '{identity.NameClaimType}' claim to use as the user id (AUTH_USER_CLAIM).");
        }

        if (StoreRules.CheckUserId(userId) is not null)
        {
            return (null, $"The credential's '{identity.NameClaimType}' claim is not usable as a user id (1 to {StoreRules.UserIdMaxLength} of letters, digits, '.', '_', '@', '-'); set AUTH_USER_CLAIM to another claim.");
        }

        return (new Caller(userId, Roles.Highest(identity.FindAll(identity.RoleClaimType).Select(c => c.Value))), null);
    }

    /// <summary>An identity for a caller this app vouches for itself (API key, Easy Auth).</summary>
    public static ClaimsPrincipal Principal(string userId, IEnumerable<string> roles, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(UserId, userId), .. roles.Select(r => new Claim(Role, r))],
            authenticationType,
            UserId,
            Role));
}
