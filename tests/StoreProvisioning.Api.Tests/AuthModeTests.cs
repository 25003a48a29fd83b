using System.Net;
using System.Text;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>AUTH_MODE=easyauth: X-MS-CLIENT-PRINCIPAL as App Service authentication injects it.</summary>
public sealed class EasyAuthTests(EasyAuthTests.Server fixture) : IClassFixture<EasyAuthTests.Server>
{
    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["AUTH_MODE"] = "easyauth",
            ["AUTH_USER_CLAIM"] = "http://schemas.microsoft.com/identity/claims/objectidentifier",
        };
    }

    private HttpClient ClientWith(string? header)
    {
        var client = fixture.Server.CreateClient(null);
        if (header is not null)
        {
            client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", header);
        }

        return client;
    }

    private static string Principal(string userId, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = userId }, new { typ = "name", val = "Some Body" } }
            .Concat(roles.Select(r => new { typ = "roles", val = r })),
    })));

    [Theory]
    [InlineData(null)]
    [InlineData("not base64 !")]
    [InlineData("e30=")] // {} : no claims
    // Proves without a usable principal header the API is 401 with a Bearer challenge.
    public async Task Without_a_principal_it_is_401(string? header)
    {
        using var client = ClientWith(header);
        using var response = await client.GetAsync("/api/stores");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    // Proves the principal's configured user claim and its roles make the caller.
    public async Task The_principal_header_signs_the_caller_in()
    {
        using var user = ClientWith(Principal("0b8e6c1e-5b6a-4a8e-9d55-123456789abc"));
        var me = await user.GetJsonAsync("/api/me");
        Assert.Equal(("0b8e6c1e-5b6a-4a8e-9d55-123456789abc", "user", "easyauth"), (me.GetProperty("userId").GetString(), me.GetProperty("role").GetString(), me.GetProperty("authMode").GetString()));
        using var ops = ClientWith(Principal("ops-oid", "operator"));
        Assert.Equal("operator", (await ops.GetJsonAsync("/api/me")).GetProperty("role").GetString());
    }
}

/// <summary>AUTH_MODE=none: only with ALLOW_ANONYMOUS=true, and then today's behaviour.</summary>
public sealed class AnonymousModeTests(AnonymousModeTests.Server fixture) : IClassFixture<AnonymousModeTests.Server>
{
    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["AUTH_MODE"] = "none", ["ALLOW_ANONYMOUS"] = "true" };
    }

    [Fact]
    // Proves with authentication off a caller without credentials acts as the anonymous operator (owner from the body), /api/me says so, and the start-up log warns loudly.
    public async Task Anonymous_callers_act_as_an_operator_and_me_reports_it()
    {
        using var client = fixture.Server.CreateClient(null);
        var me = await client.GetJsonAsync("/api/me");
        Assert.Equal(("anonymous", "operator", "none"), (me.GetProperty("userId").GetString(), me.GetProperty("role").GetString(), me.GetProperty("authMode").GetString()));
        using var created = await client.CreateAsync("anon-store", "whoever");
        Assert.Equal("whoever", (await created.AssertAcceptedAsync("anon-store")).GetProperty("userId").GetString());
        Assert.Contains("AUTHENTICATION IS OFF", fixture.Server.Log);
    }

    [Fact]
    // Proves AUTH_MODE=none without ALLOW_ANONYMOUS=true stops the server at start with the setting to add.
    public async Task None_without_allow_anonymous_does_not_start()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServerProcess.StartAsync(new Dictionary<string, string> { ["AUTH_MODE"] = "none" }));
        Assert.Contains("ALLOW_ANONYMOUS", failure.Message);
    }
}
