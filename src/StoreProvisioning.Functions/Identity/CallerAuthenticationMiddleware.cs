using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Api;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// The isolated worker's HTTP pipeline cannot take ASP.NET Core middleware, so identity runs here, as worker
/// middleware around every HTTP function, with ASP.NET Core's authentication services:
/// <list type="number">
/// <item>for a function marked <see cref="AllowScrapeKeyAttribute"/>: a bearer credential equal to METRICS_SCRAPE_KEY
/// (compared in constant time) lets it run without a caller; any other credential goes on as below;</item>
/// <item>authenticate with the AUTH_MODE's scheme (401 problem+json with WWW-Authenticate: Bearer when there is no
/// valid credential; [AllowAnonymous] functions skip this);</item>
/// <item>check the function's [Authorize(Roles)] (403);</item>
/// <item>take a write permit for a caller with the user role (429 with Retry-After; refused writes count too).</item>
/// </list>
/// Only then does the function run, with the verified <see cref="Caller"/> on its request. The test server runs
/// this same class through the same registration (<see cref="WorkerMiddleware"/>).
/// </summary>
public sealed class CallerAuthenticationMiddleware(
    AuthOptions options,
    FunctionAccess access,
    WriteRateLimiter rateLimiter,
    ILogger<CallerAuthenticationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>The user id every caller has in AUTH_MODE=none.</summary>
    public const string AnonymousUserId = "anonymous";

    // Only the hash is kept, so the comparison takes the same time wherever a presented key differs.
    private readonly byte[]? scrapeKeyHash = options.MetricsScrapeKey is { } key ? ApiKeySecret.Hash(key.Value) : null;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        // Orchestrators, activities and timers have no HTTP request and no caller.
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        var requirement = access.For(context.FunctionDefinition.Name);
        if (requirement.Anonymous)
        {
            await next(context);
            return;
        }

        if (requirement.ScrapeKey && scrapeKeyHash is not null && BearerToken.From(http.Request) is { } presented
            && ApiKeySecret.Matches(presented, scrapeKeyHash))
        {
            await next(context);
            return;
        }

        Caller? caller;
        IActionResult? refusal;
        try
        {
            (caller, refusal) = await AuthenticateAsync(http);
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogError(ex, "Database error while checking a credential");
            await WriteAsync(http, Problems.Create(
                StatusCodes.Status503ServiceUnavailable,
                "Database unavailable",
                "Credentials cannot be checked because the database cannot be used; see GET /api/health and the logs, then try again."));
            return;
        }

        if (caller is null)
        {
            await WriteAsync(http, refusal!);
            return;
        }

        if (!requirement.Admits(caller))
        {
            await WriteAsync(http, Problems.Create(
                StatusCodes.Status403Forbidden,
                "Not allowed for your role",
                $"This endpoint needs the role {string.Join(" or ", requirement.Roles!.Order().Select(r => r.Name()))}; you are signed in as '{caller.UserId}' with the role {caller.Role.Name()}."));
            return;
        }

        if (WriteRateLimiter.IsWrite(http.Request.Method) && rateLimiter.TryTake(caller) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(http, Problems.Create(
                StatusCodes.Status429TooManyRequests,
                "Too many writes",
                $"You may make {options.WritesPerMinute} write requests per minute (RATE_LIMIT_WRITES_PER_MINUTE); nothing was changed. Try again in {seconds} s."));
            return;
        }

        http.SetCaller(caller);
        await next(context);
    }

    private async Task<(Caller? Caller, IActionResult? Refusal)> AuthenticateAsync(HttpContext http)
    {
        if (options.Mode == AuthMode.None)
        {
            return (new Caller(AnonymousUserId, Role.Operator), null);
        }

        var result = await http.AuthenticateAsync(CallerAuthentication.SchemeFor(options.Mode));
        if (result.Succeeded)
        {
            var (caller, problem) = CallerClaims.From(result.Principal);
            if (caller is not null)
            {
                http.User = result.Principal;
                return (caller, null);
            }

            return (null, Unauthorized(http, "Credential not usable", problem!, invalidToken: true));
        }

        if (result.None)
        {
            return (null, Unauthorized(http, "Sign-in required", HowToSignIn(), invalidToken: false));
        }

        // The reason goes to the log without the credential; the answer says what kind of problem it was.
        logger.LogInformation("Refused a credential for {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path, result.Failure?.Message);
        return (null, Unauthorized(http, "Credential refused", Describe(result.Failure), invalidToken: true));
    }

    private string HowToSignIn() => options.Mode switch
    {
        AuthMode.ApiKey => "Send an API key as 'Authorization: Bearer <key>'. An admin creates keys with POST /api/keys; the first one is BOOTSTRAP_ADMIN_KEY.",
        AuthMode.Oidc => $"Send an access token from {options.Authority} for the audience {options.Audience} as 'Authorization: Bearer <token>'.",
        AuthMode.EasyAuth => $"Sign in through the platform's authentication (App Service / Container Apps), which adds {EasyAuthAuthenticationHandler.Header}.",
        _ => "Sign in.",
    };

    private string Describe(Exception? failure) => (options.Mode, failure) switch
    {
        (AuthMode.Oidc, SecurityTokenExpiredException) => "The token has expired; sign in again.",
        (AuthMode.Oidc, SecurityTokenInvalidAudienceException) => $"The token was not issued for this API (audience must be {options.Audience}).",
        (AuthMode.Oidc, SecurityTokenInvalidIssuerException) => $"The token was not issued by {options.Authority}.",
        (AuthMode.Oidc, SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException) => "The token's signature is not valid.",
        (AuthMode.Oidc, _) => "The token is not valid for this API; sign in again.",
        _ => failure?.Message ?? "The credential was refused.",
    };

    private static IActionResult Unauthorized(HttpContext http, string title, string detail, bool invalidToken)
    {
        http.Response.Headers.WWWAuthenticate = invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, title, detail);
    }

    /// <summary>Answers the request here; the function does not run.</summary>
    private static Task WriteAsync(HttpContext http, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
}
