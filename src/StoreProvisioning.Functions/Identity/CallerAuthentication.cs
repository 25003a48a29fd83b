using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Identity;

/// <summary>Registers the ASP.NET Core authentication scheme of the AUTH_MODE and what the middleware needs.</summary>
public static class CallerAuthentication
{
    public const string ApiKeyScheme = "ApiKey";
    public const string EasyAuthScheme = "EasyAuth";
    public const string OidcScheme = JwtBearerDefaults.AuthenticationScheme;

    public static string SchemeFor(AuthMode mode) => mode switch
    {
        AuthMode.ApiKey => ApiKeyScheme,
        AuthMode.Oidc => OidcScheme,
        AuthMode.EasyAuth => EasyAuthScheme,
        _ => throw new InvalidOperationException($"AUTH_MODE={mode.Name()} has no authentication scheme."),
    };

    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, AuthOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(new FunctionAccess(typeof(CallerAuthentication).Assembly));
        services.AddSingleton<WriteRateLimiter>();
        services.AddHostedService<BootstrapAdminKey>();

        var authentication = services.AddAuthentication();
        switch (options.Mode)
        {
            case AuthMode.ApiKey:
                authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null);
                break;
            case AuthMode.EasyAuth:
                authentication.AddScheme<AuthenticationSchemeOptions, EasyAuthAuthenticationHandler>(EasyAuthScheme, null);
                break;
            case AuthMode.Oidc:
                authentication.AddJwtBearer(OidcScheme, jwt =>
                {
                    var authority = new Uri(options.Authority!);
                    jwt.Authority = options.Authority;
                    jwt.Audience = options.Audience;
                    // Metadata and keys over plain HTTP only from this machine (a local test issuer).
                    jwt.RequireHttpsMetadata = !authority.IsLoopback;
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidateIssuer = true,
                        ValidateAudience = true,
                        ValidateLifetime = true,
                        ValidateIssuerSigningKey = true,
                        RequireExpirationTime = true,
                        RequireSignedTokens = true,
                        // An expired token is refused at once.
                        ClockSkew = TimeSpan.Zero,
                        NameClaimType = options.UserClaim,
                        RoleClaimType = options.RoleClaim,
                    };
                });
                break;
        }

        return services;
    }
}
