using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// AUTH_MODE=oidc against a real OpenID Connect issuer (npm oauth2-mock-server): the API reads its discovery
/// document and signing keys and validates tokens with Microsoft.AspNetCore.Authentication.JwtBearer.
/// </summary>
public sealed class OidcTests(OidcTests.Server fixture) : IClassFixture<OidcTests.Server>
{
    public const string Audience = "api://store-provisioning-tests";

    public sealed class Server : IAsyncLifetime
    {
        public MockOidcServer? Issuer { get; private set; }

        public TestServerProcess? Api { get; private set; }

        public string? Why { get; private set; }

        public async Task InitializeAsync()
        {
            (Issuer, Why) = await MockOidcServer.StartAsync();
            if (Issuer is null)
            {
                return;
            }

            Api = await TestServerProcess.StartAsync(new Dictionary<string, string>
            {
                ["AUTH_MODE"] = "oidc",
                ["AUTH_AUTHORITY"] = Issuer.Issuer,
                ["AUTH_AUDIENCE"] = Audience,
                ["AUTH_CLIENT_ID"] = "dashboard",
                ["AUTH_SCOPES"] = "openid profile " + Audience + "/stores",
            });
        }

        public async Task DisposeAsync()
        {
            if (Api is not null)
            {
                await Api.DisposeAsync();
            }

            if (Issuer is not null)
            {
                await Issuer.DisposeAsync();
            }
        }
    }

    private async Task<HttpClient> ClientAsync(object claims, int expiresIn = 3600, bool tamper = false)
    {
        Skip.If(fixture.Api is null, "the OIDC mock server is not available: " + fixture.Why);
        return fixture.Api!.CreateClient(await fixture.Issuer!.TokenAsync(claims, expiresIn, tamper));
    }

    [SkippableFact]
    // Proves a valid token signs the caller in: user id from sub, role user by default, and they own what they create.
    public async Task A_valid_token_works()
    {
        using var client = await ClientAsync(new { sub = "oidc-alice", aud = Audience });
        var me = await client.GetJsonAsync("/api/me");
        Assert.Equal(("oidc-alice", "user", "oidc"), (me.GetProperty("userId").GetString(), me.GetProperty("role").GetString(), me.GetProperty("authMode").GetString()));
        using var created = await client.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "oidc-alices" }));
        Assert.Equal("oidc-alice", (await created.AssertAcceptedAsync("oidc-alices")).GetProperty("userId").GetString());
    }

    [SkippableFact]
    // Proves the roles claim maps to operator/admin, and an admin token may manage keys.
    public async Task The_roles_claim_gives_the_role()
    {
        using var ops = await ClientAsync(new { sub = "oidc-ops", aud = Audience, roles = new[] { "operator" } });
        Assert.Equal("operator", (await ops.GetJsonAsync("/api/me")).GetProperty("role").GetString());
        using (var keys = await ops.GetAsync("/api/keys"))
        {
            await keys.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using var admin = await ClientAsync(new { sub = "oidc-admin", aud = Audience, roles = new[] { "user", "admin" } });
        Assert.Equal("admin", (await admin.GetJsonAsync("/api/me")).GetProperty("role").GetString());
    }

    public static readonly TheoryData<string> BadTokens = new() { "wrong audience", "wrong issuer", "expired", "bad signature", "no credential" };

    [SkippableTheory]
    [MemberData(nameof(BadTokens))]
    // Proves tokens for another audience, from another issuer, expired or with a broken signature (and no token at all) are 401 with a Bearer challenge.
    public async Task Bad_tokens_are_refused(string what)
    {
        using var client = what switch
        {
            "wrong audience" => await ClientAsync(new { sub = "oidc-eve", aud = "api://someone-else" }),
            "wrong issuer" => await ClientAsync(new { sub = "oidc-eve", aud = Audience, iss = "http://127.0.0.1:1/not-the-issuer" }),
            "expired" => await ClientAsync(new { sub = "oidc-eve", aud = Audience }, expiresIn: -120),
            "bad signature" => await ClientAsync(new { sub = "oidc-eve", aud = Audience }, tamper: true),
            _ => Anonymous(),
        };
        using var response = await client.GetAsync("/api/stores");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, what);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [SkippableFact]
    // Proves GET /api/auth/config tells an anonymous dashboard the issuer, client id and scopes to sign in with.
    public async Task Auth_config_describes_the_issuer()
    {
        using var client = Anonymous();
        var config = await client.GetJsonAsync("/api/auth/config");
        Assert.Equal("oidc", config.GetProperty("mode").GetString());
        Assert.Equal(fixture.Issuer!.Issuer, config.GetProperty("authority").GetString());
        Assert.Equal("dashboard", config.GetProperty("clientId").GetString());
        Assert.Contains(Audience, config.GetProperty("scopes").GetString());
    }

    private HttpClient Anonymous()
    {
        Skip.If(fixture.Api is null, "the OIDC mock server is not available: " + fixture.Why);
        return fixture.Api!.CreateClient(null);
    }
}
