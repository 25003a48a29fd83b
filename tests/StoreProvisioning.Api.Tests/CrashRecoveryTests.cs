using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// Crash recovery over real HTTP (issue 5): kill -9 the server while stores are provisioning and deleting, start it
/// again on the same database, and the reconciler leaves no store in flight while nothing is lost.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] InFlight = ["NEW", "PROVISIONING", "DELETING"];
    private TestServerProcess server = null!;

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["RECONCILE_INTERVAL"] = "3s",
        ["MAX_STORES_PER_USER"] = "10",
        ["HELM_TIMEOUT"] = "300s",
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves after kill -9 mid-provisioning/deleting and a restart on the same SQLite file, within the reconcile window no store stays NEW/PROVISIONING/DELETING, no store or audit row is lost, and a failed store can be retried to READY.
    public async Task Kill_9_while_provisioning_loses_nothing_and_strands_nothing()
    {
        var client = server.Client;

        // A READY store, and one that will be DELETING when the server dies (its delete waits behind the hanging installs).
        foreach (var name in new[] { "crash-ready", "crash-deleting" })
        {
            using var created = await client.CreateAsync(name, "crash-user");
            await created.AssertAcceptedAsync(name);
            await client.WaitForStatusAsync(name, "READY");
        }

        // Three installs that hang in helm (leaving their releases pending-install), so they are in flight at the crash;
        // with both cluster slots taken the third waits as NEW (which of the three is third is a race of their claims).
        var hanging = new[] { "crash-slow-1", "crash-slow-2", "crash-slow-3" };
        foreach (var name in hanging)
        {
            server.FakeCli.SetBehaviour(name, "once:upgrade:hang");
            using var created = await client.CreateAsync(name, "crash-user");
            await created.AssertAcceptedAsync(name);
        }

        using (var delete = await client.DeleteAsync("/api/stores/crash-deleting"))
        {
            await delete.AssertAcceptedAsync("crash-deleting");
        }

        await WaitForAsync(() => server.FakeCli.Calls().Count(c => c.Tool == "helm" && c.Argv.Length > 0 && c.Argv[0] == "upgrade" && c.Argv.Any(a => a.StartsWith("crash-slow-", StringComparison.Ordinal))) >= 2, "two hanging helm installs");

        var storesBefore = (await client.GetJsonAsync("/api/stores")).EnumerateArray().ToList();
        var activityBefore = await client.ActivityAsync(limit: 500);
        output.WriteLine("before the crash: " + string.Join(", ", storesBefore.Select(s => $"{s.GetProperty("name").GetString()}={s.GetProperty("status").GetString()}")));
        Assert.Contains(storesBefore, s => InFlight.Contains(s.GetProperty("status").GetString()));

        await server.CrashAsync();
        await server.StartProcessAsync();
        client = server.Client;

        // The reconcile window: rows settle for 30 s (ReconcileDecision.SettleTime), then the next 3 s pass acts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(75);
        List<JsonElement> storesAfter;
        while (true)
        {
            storesAfter = (await client.GetJsonAsync("/api/stores")).EnumerateArray().ToList();
            if (!storesAfter.Any(s => InFlight.Contains(s.GetProperty("status").GetString())) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(1000);
        }

        output.WriteLine("after the restart: " + string.Join(", ", storesAfter.Select(s => $"{s.GetProperty("name").GetString()}={s.GetProperty("status").GetString()} ({s.GetProperty("error")})")));
        Assert.DoesNotContain(storesAfter, s => InFlight.Contains(s.GetProperty("status").GetString()));

        // No store lost: every store that was not being deleted is still there with the same id; the deleted one is gone.
        foreach (var store in storesBefore)
        {
            var name = store.GetProperty("name").GetString()!;
            if (name == "crash-deleting")
            {
                continue;
            }

            var after = Assert.Single(storesAfter, s => s.GetProperty("name").GetString() == name);
            Assert.Equal(store.GetProperty("id").GetString(), after.GetProperty("id").GetString());
        }

        Assert.DoesNotContain(storesAfter, s => s.GetProperty("name").GetString() == "crash-deleting");
        Assert.Equal("READY", storesAfter.Single(s => s.GetProperty("name").GetString() == "crash-ready").GetProperty("status").GetString());

        // Every interrupted install says why and is retryable.
        foreach (var name in hanging)
        {
            var store = storesAfter.Single(s => s.GetProperty("name").GetString() == name);
            if (store.GetProperty("status").GetString() == "FAILED")
            {
                Assert.False(string.IsNullOrWhiteSpace(store.GetProperty("error").GetString()));
            }
        }

        // No audit row lost: everything written before the crash is still listed.
        var activityAfter = await client.ActivityAsync(limit: 500);
        var idsAfter = activityAfter.Select(a => a.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(activityBefore, a => Assert.Contains(a.GetProperty("id").GetInt64(), idsAfter));
        Assert.Contains(activityAfter, a => a.GetProperty("storeName").GetString() == "crash-deleting" && a.GetProperty("action").GetString() == "store.removed");

        // Every interrupted install, two of them with releases left pending-install by the killed helm, retries to READY.
        foreach (var name in hanging)
        {
            File.Delete(Path.Combine(server.StateDirectory, "behaviour", name));
            using var retry = await client.PostAsync($"/api/stores/{name}/retry", null);
            await retry.AssertAcceptedAsync(name);
        }

        foreach (var name in hanging)
        {
            Assert.Equal("READY", (await client.WaitForStatusAsync(name, ApiCalls.Terminal)).GetProperty("status").GetString());
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(200);
        }
    }
}
