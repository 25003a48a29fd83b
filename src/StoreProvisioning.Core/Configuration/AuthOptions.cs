using System.Globalization;
using Microsoft.Extensions.Configuration;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Configuration;

/// <summary>
/// The identity settings (AUTH_*, ALLOW_ANONYMOUS, BOOTSTRAP_ADMIN_KEY, METRICS_SCRAPE_KEY, RATE_LIMIT_WRITES_PER_MINUTE), read and checked
/// once at start-up: a mode that cannot work stops the app with the setting to fix. A class, not a record, so the
/// bootstrap key never shows up in a generated ToString.
/// </summary>
public sealed class AuthOptions
{
    public const string DefaultUserClaim = "sub";
    public const string DefaultRoleClaim = "roles";

    /// <summary>The user id of the key BOOTSTRAP_ADMIN_KEY defines.</summary>
    public const string BootstrapAdminUserId = "admin";

    public AuthMode Mode { get; init; } = AuthMode.ApiKey;

    /// <summary>When set, an admin key with exactly this value exists after start-up.</summary>
    public string? BootstrapAdminKey { get; init; }

    /// <summary>
    /// When set, a bearer credential that GET /api/metrics alone accepts (besides operators and admins), for a Prometheus
    /// scraper. Hidden: it prints as "(hidden)" and is never logged.
    /// </summary>
    public HiddenSetting? MetricsScrapeKey { get; init; }

    /// <summary>OIDC issuer (its /.well-known/openid-configuration is read for metadata and signing keys).</summary>
    public string? Authority { get; init; }

    /// <summary>The audience a token must be issued for.</summary>
    public string? Audience { get; init; }

    /// <summary>The public client id the dashboard signs in with (authorization code + PKCE).</summary>
    public string? ClientId { get; init; }

    /// <summary>Scopes the dashboard asks for.</summary>
    public string Scopes { get; init; } = "openid profile";

    /// <summary>The token claim (or Easy Auth claim type) holding the user id.</summary>
    public string UserClaim { get; init; } = DefaultUserClaim;

    /// <summary>The token claim (or Easy Auth claim type) holding roles.</summary>
    public string RoleClaim { get; init; } = DefaultRoleClaim;

    /// <summary>Writes one caller with the user role may make per minute.</summary>
    public int WritesPerMinute { get; init; } = 30;

    public static AuthOptions FromConfiguration(IConfiguration configuration)
    {
        var errors = new List<string>();
        var modeText = Text(configuration, "AUTH_MODE");
        var mode = AuthMode.ApiKey;
        if (modeText is not null && !AuthModes.TryParse(modeText, out mode))
        {
            errors.Add($"AUTH_MODE='{modeText}' is not known; use apikey (default), oidc, easyauth or none.");
        }

        var options = new AuthOptions
        {
            Mode = mode,
            BootstrapAdminKey = Text(configuration, "BOOTSTRAP_ADMIN_KEY"),
            MetricsScrapeKey = Text(configuration, "METRICS_SCRAPE_KEY") is { } scrapeKey ? new HiddenSetting(scrapeKey) : null,
            Authority = Text(configuration, "AUTH_AUTHORITY"),
            Audience = Text(configuration, "AUTH_AUDIENCE"),
            ClientId = Text(configuration, "AUTH_CLIENT_ID"),
            Scopes = Text(configuration, "AUTH_SCOPES") ?? "openid profile",
            UserClaim = Text(configuration, "AUTH_USER_CLAIM") ?? DefaultUserClaim,
            RoleClaim = Text(configuration, "AUTH_ROLE_CLAIM") ?? DefaultRoleClaim,
            WritesPerMinute = Number(configuration, "RATE_LIMIT_WRITES_PER_MINUTE", 30, 1, 100_000, errors),
        };

        if (options.BootstrapAdminKey is { Length: < ApiKeySecret.MinimumLength })
        {
            errors.Add($"BOOTSTRAP_ADMIN_KEY must be at least {ApiKeySecret.MinimumLength} characters (e.g. openssl rand -base64 32).");
        }

        // Never echoes the value.
        if (options.MetricsScrapeKey is { Value.Length: < ApiKeySecret.MinimumLength })
        {
            errors.Add($"METRICS_SCRAPE_KEY must be at least {ApiKeySecret.MinimumLength} characters (e.g. openssl rand -base64 32).");
        }
        else if (options.MetricsScrapeKey is { } key && string.Equals(key.Value, options.BootstrapAdminKey, StringComparison.Ordinal))
        {
            errors.Add("METRICS_SCRAPE_KEY must differ from BOOTSTRAP_ADMIN_KEY (a scraper must not hold an admin key).");
        }

        switch (mode)
        {
            case AuthMode.Oidc:
                if (options.Authority is null || !Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
                {
                    errors.Add("AUTH_MODE=oidc needs AUTH_AUTHORITY, the issuer's URL (e.g. https://login.microsoftonline.com/{tenant}/v2.0).");
                }

                if (options.Audience is null)
                {
                    errors.Add("AUTH_MODE=oidc needs AUTH_AUDIENCE, the audience tokens are issued for (e.g. api://store-provisioning).");
                }

                break;
            case AuthMode.None when !string.Equals(Text(configuration, "ALLOW_ANONYMOUS"), "true", StringComparison.OrdinalIgnoreCase):
                errors.Add("AUTH_MODE=none turns authentication off and is refused unless ALLOW_ANONYMOUS=true is set as well.");
                break;
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid settings: " + string.Join(" ", errors));
        }

        return options;
    }

    private static string? Text(IConfiguration configuration, string key) => SettingReader.Text(configuration, key);

    private static int Number(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors) =>
        SettingReader.Number(configuration, key, fallback, min, max, errors);
}
