using System.Net;
using System.Text.Json;
using Xunit;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>API keys issued through POST /api/keys by the server's bootstrap admin.</summary>
public static class Keys
{
    public sealed record Issued(string Id, string Key, string UserId, string Role);

    public static async Task<Issued> IssueAsync(this TestServerProcess server, string userId, string role, DateTimeOffset? expiresAt = null)
    {
        var body = expiresAt is { } e
            ? (object)new { userId, role, name = $"{role} key of {userId}", expiresAt = e.UtcDateTime.ToString("O") }
            : new { userId, role, name = $"{role} key of {userId}" };
        using var response = await server.Client.PostAsync("/api/keys", ApiCalls.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/keys answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        return new Issued(root.GetProperty("id").GetString()!, root.GetProperty("key").GetString()!, root.GetProperty("userId").GetString()!, root.GetProperty("role").GetString()!);
    }

    /// <summary>A client signed in with a new key for this user and role.</summary>
    public static async Task<HttpClient> ClientForAsync(this TestServerProcess server, string userId, string role = "user") =>
        server.CreateClient((await server.IssueAsync(userId, role)).Key);
}
