using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>The timer-triggered reconciler, run by the test server every RECONCILE_INTERVAL, over HTTP.</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private TestServerProcess server = null!;

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string> { ["RECONCILE_INTERVAL"] = "2s" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves a READY store whose helm release disappears outside the control plane is flagged FAILED with a reason and an audit row, and retry reinstalls it to READY.
    public async Task A_missing_release_is_flagged_and_retry_repairs_it()
    {
        var client = server.Client;
        using (var created = await client.CreateAsync("drift-store", "drift-user"))
        {
            await created.AssertAcceptedAsync("drift-store");
        }

        await client.WaitForStatusAsync("drift-store", "READY");

        // Someone runs `helm uninstall drift-store` by hand.
        File.Delete(Path.Combine(server.StateDirectory, "releases", "store-drift-store", "drift-store.json"));

        var failed = await client.WaitForStatusAsync("drift-store", "FAILED", TimeSpan.FromSeconds(30));
        Assert.Contains("missing", failed.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await client.ActivityAsync("drift-store"), a => a.GetProperty("action").GetString() == "reconcile.drift");

        using (var retry = await client.PostAsync("/api/stores/drift-store/retry", null))
        {
            await retry.AssertAcceptedAsync("drift-store");
        }

        Assert.Equal("READY", (await client.WaitForStatusAsync("drift-store", ApiCalls.Terminal)).GetProperty("status").GetString());
    }
}
