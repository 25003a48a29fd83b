using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>GET /api/health when the database cannot be used, and what the other endpoints answer then.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private TestServerProcess server = null!;

    // SQLITE_PATH names a folder nobody can open as a database file.
    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string> { ["SQLITE_PATH"] = "/proc" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves health is 503 with the database marked unavailable (helm/kubectl/cluster still reported in the details, which the
    // bootstrap admin key still reaches), and store endpoints answer a 503 problem, not a crash.
    public async Task An_unusable_database_makes_health_503()
    {
        using var minimal = await server.CreateClient(null).GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, minimal.StatusCode);
        Assert.Equal("unavailable", (await minimal.BodyAsync()).GetProperty("status").GetString());

        using var health = await server.Client.GetAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var body = await health.BodyAsync();
        Assert.NotEqual("ok", body.GetProperty("database").GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("database").GetProperty("message").GetString()));
        foreach (var component in new[] { "helm", "kubectl", "cluster" })
        {
            Assert.Equal("ok", body.GetProperty(component).GetProperty("status").GetString());
        }

        using var list = await server.Client.GetAsync("/api/stores");
        await list.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        using var create = await server.Client.CreateAsync("health-nodb", "health-user");
        await create.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(server.FakeCli.Calls(), c => c.Tool == "helm" && c.Argv.Length > 0 && c.Argv[0] == "upgrade");
    }
}

/// <summary>GET /api/health when helm is not where HELM_PATH says.</summary>
public sealed class MissingHelmHealthTests : IAsyncLifetime
{
    private TestServerProcess server = null!;

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string> { ["HELM_PATH"] = "/nonexistent/helm" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves a missing helm is reported as unavailable with the setting to fix, while the API itself stays up (200, degraded).
    public async Task A_missing_helm_is_reported_with_the_setting_to_fix()
    {
        using var health = await server.Client.GetAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await health.BodyAsync();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("unavailable", body.GetProperty("helm").GetProperty("status").GetString());
        Assert.Contains("HELM_PATH", body.GetProperty("helm").GetProperty("message").GetString());
        Assert.Equal("ok", body.GetProperty("database").GetProperty("status").GetString());
    }
}
