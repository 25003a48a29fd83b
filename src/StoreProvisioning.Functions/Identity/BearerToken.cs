using Microsoft.AspNetCore.Http;

namespace StoreProvisioning.Functions.Identity;

/// <summary>Reads the credential of "Authorization: Bearer &lt;credential&gt;".</summary>
public static class BearerToken
{
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
