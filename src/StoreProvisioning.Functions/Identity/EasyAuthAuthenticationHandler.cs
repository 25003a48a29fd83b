using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StoreProvisioning.Configuration;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// AUTH_MODE=easyauth: trusts X-MS-CLIENT-PRINCIPAL, the base64 JSON App Service / Functions / Container Apps
/// authentication puts on requests it has authenticated (and strips from requests that arrive with it). Anywhere
/// else nothing strips the header, so anyone could send it: the README says so.
/// </summary>
public sealed class EasyAuthAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AuthOptions auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var encoded = Request.Headers[Header].ToString();
        if (encoded.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(encoded));
            var root = document.RootElement;
            var claims = root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray()
                    .Where(c => c.ValueKind == JsonValueKind.Object)
                    .Select(c => (Type: Text(c, "typ"), Value: Text(c, "val")))
                    .Where(c => c.Type is not null && c.Value is not null)
                    .ToList()
                : [];
            var nameType = Text(root, "name_typ");
            var roleType = Text(root, "role_typ");
            var userId = claims.FirstOrDefault(c => c.Type == auth.UserClaim).Value
                ?? claims.FirstOrDefault(c => c.Type == nameType).Value;
            if (userId is null)
            {
                return Task.FromResult(AuthenticateResult.Fail($"{Header} has no '{auth.UserClaim}' claim (AUTH_USER_CLAIM) and no name claim."));
            }

            var roles = claims.Where(c => c.Type == auth.RoleClaim || c.Type == roleType).Select(c => c.Value!);
            var principal = CallerClaims.Principal(userId, roles, Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or DecoderFallbackException)
        {
            return Task.FromResult(AuthenticateResult.Fail($"{Header} is not base64-encoded JSON."));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
