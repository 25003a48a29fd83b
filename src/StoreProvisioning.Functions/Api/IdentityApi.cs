using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Identity;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Api;

/// <summary>GET /api/me (who am I) and GET /api/auth/config (how the dashboard signs in).</summary>
public sealed class IdentityApi(AuthOptions options)
{
    public sealed record MeResponse(string UserId, string Role, string AuthMode);

    /// <summary>What a client needs to sign in; the OIDC members are null in the other modes.</summary>
    public sealed record AuthConfigResponse(string Mode, string? Authority, string? ClientId, string? Scopes);

    [Function("GetMe")]
    public IActionResult Me([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request)
    {
        var caller = request.Caller();
        return ApiJson.Ok(new MeResponse(caller.UserId, caller.Role.Name(), options.Mode.Name()));
    }

    [AllowAnonymous]
    [Function("GetAuthConfig")]
    public IActionResult Config([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/config")] HttpRequest request) =>
        ApiJson.Ok(options.Mode == AuthMode.Oidc
            ? new AuthConfigResponse(options.Mode.Name(), options.Authority, options.ClientId, options.Scopes)
            : new AuthConfigResponse(options.Mode.Name(), null, null, null));
}
