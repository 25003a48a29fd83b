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
    // Proves health is 503 with the database marked unavailable (helm/kubectl/cluster still reported), and store endpoints answer a 503 problem, not a crash.
    public async Task An_unusable_database_makes_health_503()
    {
        using var health = await server.Client.GetAsync("/api/health");
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
        Assert.DoesNotContain(server.Calls(), c => c.Tool == "helm" && c.Argv.Length > 0 && c.Argv[0] == "upgrade");
    }
}
