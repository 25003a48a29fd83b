using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// AUTH_MODE=apikey: "Authorization: Bearer &lt;key&gt;" is looked up among the stored key hashes on every request,
/// so a revoked (deleted) or expired key is refused at once.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRepository keys,
    AuthOptions auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        // The bootstrap key is known from its setting, so it works even when the database does not (health details).
        if (auth.BootstrapAdminKey is { } bootstrap && ApiKeySecret.Matches(presented, ApiKeySecret.Hash(bootstrap)))
        {
            return Success(AuthOptions.BootstrapAdminUserId, Role.Admin);
        }

        var key = await keys.FindAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            // Never log the presented value: it may be a real key sent to the wrong place.
            return AuthenticateResult.Fail("The API key is not valid: unknown, revoked or expired.");
        }

        return Success(key.UserId, key.Role);
    }

    private AuthenticateResult Success(string userId, Role role) =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.Principal(userId, [role.Name()], Scheme.Name), Scheme.Name));
}
