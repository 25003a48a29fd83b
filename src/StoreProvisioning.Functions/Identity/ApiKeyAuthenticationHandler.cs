using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    ApiKeyRepository keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            // Never log the presented value: it may be a real key sent to the wrong place.
            return AuthenticateResult.Fail("The API key is not valid: unknown, revoked or expired.");
        }

        var principal = CallerClaims.Principal(key.UserId, [key.Role.Name()], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
