using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>AUTH_MODE=apikey (the default): who gets in, what each role may reach, and where a key may never appear.</summary>
public sealed class AuthenticationTests(AuthenticationTests.Server fixture) : IClassFixture<AuthenticationTests.Server>
{
    public sealed class Server : ServerFixture;

    private TestServerProcess server => fixture.Server;

    public static readonly TheoryData<string, string> ProtectedRoutes = new()
    {
        { "GET", "/api/stores" },
        { "POST", "/api/stores" },
        { "GET", "/api/stores/auth-any" },
        { "DELETE", "/api/stores/auth-any" },
        { "POST", "/api/stores/auth-any/upgrade" },
        { "POST", "/api/stores/auth-any/rollback" },
        { "POST", "/api/stores/auth-any/retry" },
        { "GET", "/api/stores/metrics" },
        { "GET", "/api/stores/activity" },
        { "GET", "/api/me" },
        { "GET", "/api/keys" },
        { "POST", "/api/keys" },
        { "DELETE", "/api/keys/key_0123456789abcdef" },
        { "GET", "/api/health/details" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    // Proves every route but health and auth/config refuses a request without a credential: 401 problem+json with WWW-Authenticate: Bearer, nothing created.
    public async Task Anonymous_requests_are_401_with_a_bearer_challenge(string method, string path)
    {
        using var anonymous = server.CreateClient(null);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = ApiCalls.Json(new { storeName = "auth-anon", userId = "anon" });
        }

        using var response = await anonymous.SendAsync(request);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        using var check = await server.Client.GetAsync("/api/stores/auth-anon");
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }

    [Theory]
    [InlineData("spk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    [InlineData("")]
    // Proves a key nobody issued (or garbage) is 401 with error="invalid_token" where a credential was sent.
    public async Task A_wrong_key_is_401(string key)
    {
        using var client = server.CreateClient(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        using var response = await client.GetAsync("/api/me");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    // Proves a revoked key is refused on the very next request, and revoking it again is 404.
    public async Task A_revoked_key_is_refused_at_once()
    {
        var issued = await server.IssueAsync("revoked-user", "user");
        using var client = server.CreateClient(issued.Key);
        Assert.Equal("revoked-user", (await client.GetJsonAsync("/api/me")).GetProperty("userId").GetString());

        using (var revoke = await server.Client.DeleteAsync("/api/keys/" + issued.Id))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await client.GetAsync("/api/me");
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var again = await server.Client.DeleteAsync("/api/keys/" + issued.Id);
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await server.Client.GetJsonAsync("/api/keys")).EnumerateArray(), k => k.GetProperty("id").GetString() == issued.Id);
    }

    [Fact]
    // Proves a key past its expiresAt is refused at once, and a key cannot be created already expired.
    public async Task An_expired_key_is_refused()
    {
        var issued = await server.IssueAsync("expiring-user", "user", DateTimeOffset.UtcNow.AddSeconds(3));
        using var client = server.CreateClient(issued.Key);
        using (var before = await client.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        using var after = await client.GetAsync("/api/me");
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);

        using var past = await server.Client.PostAsync("/api/keys", ApiCalls.Json(new { userId = "x", role = "user", expiresAt = "2001-01-01T00:00:00Z" }));
        ApiCalls.AssertFieldError(await past.AssertProblemAsync(HttpStatusCode.BadRequest), "expiresAt");
    }

    [Fact]
    // Proves a key appears only in the response that created it: not in GET /api/keys, not in audit rows of what it did, not in the log, not in the database file (only its hash's prefix).
    public async Task A_key_is_shown_once_and_never_again()
    {
        var issued = await server.IssueAsync("secretive", "user");
        Assert.StartsWith("spk_", issued.Key);
        Assert.True(issued.Key.Length >= 4 + 43, "a key carries at least 32 random bytes");
        using var client = server.CreateClient(issued.Key);
        using (var created = await client.CreateAsync("auth-secretive", "secretive"))
        {
            await created.AssertAcceptedAsync("auth-secretive");
        }

        await client.WaitForStatusAsync("auth-secretive", ApiCalls.Terminal);
        using (var missing = await client.GetAsync("/api/stores/not-there-at-all"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(issued.Key));
        var forms = new[] { issued.Key, issued.Key[4..], Convert.ToHexString(hash), Convert.ToHexString(hash).ToLowerInvariant(), Convert.ToBase64String(hash) };
        var seen = new Dictionary<string, string>
        {
            ["GET /api/keys"] = (await server.Client.GetJsonAsync("/api/keys")).GetRawText(),
            ["activity"] = (await server.Client.GetJsonAsync("/api/stores/activity?limit=500")).GetRawText(),
            ["store"] = (await client.GetJsonAsync("/api/stores/auth-secretive")).GetRawText(),
            ["me"] = (await client.GetJsonAsync("/api/me")).GetRawText(),
            ["server log"] = server.Log,
            ["database"] = Encoding.Latin1.GetString(ReadShared(server.DatabasePath)) + Encoding.Latin1.GetString(ReadShared(server.DatabasePath + "-wal")),
        };
        foreach (var (where, text) in seen)
        {
            foreach (var form in forms)
            {
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"the key (or its hash) appears in {where}");
            }
        }

        Assert.DoesNotContain("\"key\"", seen["GET /api/keys"], StringComparison.Ordinal);
        Assert.DoesNotContain("hash", seen["GET /api/keys"], StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("operator")]
    // Proves key management is for admins only: users and operators get 403 and create nothing.
    public async Task Only_admins_manage_keys(string role)
    {
        using var client = await server.ClientForAsync($"not-admin-{role}", role);
        using var create = await client.PostAsync("/api/keys", ApiCalls.Json(new { userId = "sneaky", role = "admin" }));
        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        using var list = await client.GetAsync("/api/keys");
        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain((await server.Client.GetJsonAsync("/api/keys")).EnumerateArray(), k => k.GetProperty("userId").GetString() == "sneaky");
    }

    [Theory]
    [InlineData("""{"userId":"a","role":"root"}""", "role")]
    [InlineData("""{"userId":"a b","role":"user"}""", "userId")]
    [InlineData("""{"role":"user"}""", "userId")]
    [InlineData("""{"userId":"a","role":"user","key":"chosen-by-me-0123456789012345678901"}""", "key")]
    // Proves a bad key request is a 400 naming the field (a caller cannot choose the key or an unknown role).
    public async Task Bad_key_requests_are_400(string body, string field)
    {
        using var response = await server.Client.PostAsync("/api/keys", ApiCalls.Json(body));
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest), field);
    }

    [Fact]
    // Proves GET /api/me names the verified caller, role and mode for each role, the bootstrap key being an admin.
    public async Task Me_names_the_caller()
    {
        var me = await server.Client.GetJsonAsync("/api/me");
        Assert.Equal(("admin", "admin", "apikey"), (me.GetProperty("userId").GetString(), me.GetProperty("role").GetString(), me.GetProperty("authMode").GetString()));
        using var op = await server.ClientForAsync("ops-1", "operator");
        Assert.Equal("operator", (await op.GetJsonAsync("/api/me")).GetProperty("role").GetString());
    }

    [Fact]
    // Proves health and auth/config are anonymous and minimal, while the health details are for operators and admins.
    public async Task Health_is_minimal_for_anyone_and_detailed_for_operators()
    {
        using var anonymous = server.CreateClient(null);
        var health = await anonymous.GetJsonAsync("/api/health");
        Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ok", health.GetProperty("status").GetString());

        var config = await anonymous.GetJsonAsync("/api/auth/config");
        Assert.Equal("apikey", config.GetProperty("mode").GetString());

        using var user = await server.ClientForAsync("health-user", "user");
        using (var denied = await user.GetAsync("/api/health/details"))
        {
            await denied.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using var op = await server.ClientForAsync("health-ops", "operator");
        Assert.Equal("ok", (await op.GetJsonAsync("/api/health/details")).GetProperty("database").GetProperty("status").GetString());
    }

    private static byte[] ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
