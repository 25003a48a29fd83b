namespace StoreProvisioning.Identity;

/// <summary>How callers prove who they are (setting AUTH_MODE).</summary>
public enum AuthMode
{
    /// <summary>Authorization: Bearer &lt;API key&gt;, keys managed through /api/keys. The default.</summary>
    ApiKey,

    /// <summary>JWT bearer tokens from an OpenID Connect issuer.</summary>
    Oidc,

    /// <summary>The X-MS-CLIENT-PRINCIPAL header App Service / Functions / Container Apps authentication injects.</summary>
    EasyAuth,

    /// <summary>No authentication (needs ALLOW_ANONYMOUS=true): every caller is an anonymous operator.</summary>
    None,
}

public static class AuthModes
{
    public static string Name(this AuthMode mode) => mode switch
    {
        AuthMode.ApiKey => "apikey",
        AuthMode.Oidc => "oidc",
        AuthMode.EasyAuth => "easyauth",
        AuthMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool TryParse(string? text, out AuthMode mode)
    {
        foreach (var candidate in Enum.GetValues<AuthMode>())
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = AuthMode.ApiKey;
        return false;
    }
}
