using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// The test server on DURABLE_BACKEND=azurite (DurableTask.AzureStorage against a real Azurite, as under func start):
/// orchestrations are durable, so a kill -9 mid-install is resumed by the restarted server — the interrupted
/// activity runs again — instead of being failed by the reconciler.
/// </summary>
public sealed class AzuriteDurabilityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Azurite? azurite;
    private string? why;
    private TestServerProcess? server;

    public async Task InitializeAsync()
    {
        (azurite, why) = await Azurite.StartAsync();
        if (azurite is null)
        {
            return;
        }

        server = await TestServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["DURABLE_BACKEND"] = "azurite",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DURABLE_TASK_HUB"] = "ApiTests" + Guid.NewGuid().ToString("N")[..8],
            ["DURABLE_VISIBILITY_TIMEOUT"] = "5s",
            ["FAKE_HELM_DELAY_SECONDS"] = "4",
            // Three cluster slots: the delete holds one for its whole run, and both installs must be inside helm together
            // when the server dies (with two, the second install would only reach helm after the first had finished).
            ["PROVISION_CONCURRENCY"] = "3",
            ["RECONCILE_INTERVAL"] = "3s",
            ["MAX_STORES_PER_USER"] = "10",
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    [SkippableFact]
    // Proves on the Azure Storage backend a kill -9 mid-install and mid-delete is resumed after restart: the installs end READY without a retry, the delete removes the row, the interrupted helm install ran again, and nothing is lost.
    public async Task Kill_9_mid_install_resumes_the_orchestration_after_restart()
    {
        Skip.If(server is null, "Azurite is not available: " + why);
        var client = server!.Client;

        using (var created = await client.CreateAsync("durable-delete", "durable-user"))
        {
            await created.AssertAcceptedAsync("durable-delete");
        }

        await client.WaitForStatusAsync("durable-delete", "READY");

        var names = new[] { "durable-one", "durable-two" };
        foreach (var name in names)
        {
            using var created = await client.CreateAsync(name, "durable-user");
            await created.AssertAcceptedAsync(name);
        }

        using (var delete = await client.DeleteAsync("/api/stores/durable-delete"))
        {
            await delete.AssertAcceptedAsync("durable-delete");
        }

        // Crash while both installs are inside helm.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (names.Any(n => !server.FakeCli.Calls().Any(c => c.Tool == "helm" && c.Argv.Length > 2 && c.Argv[0] == "upgrade" && c.Argv.Contains(n))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the installs did not reach helm");
            await Task.Delay(100);
        }

        var activityBefore = await client.ActivityAsync(limit: 500);
        await server.CrashAsync();
        await server.StartProcessAsync();
        client = server.Client;

        foreach (var name in names)
        {
            var store = await client.WaitForStatusAsync(name, ApiCalls.Terminal, TimeSpan.FromSeconds(120));
            output.WriteLine($"{name}: {store}");
            Assert.Equal("READY", store.GetProperty("status").GetString());
            Assert.Equal("install", store.GetProperty("operation").GetString());
            var installs = server.FakeCli.Calls().Count(c => c.Tool == "helm" && c.Argv.Length > 2 && c.Argv[0] == "upgrade" && c.Argv.Contains(name));
            Assert.True(installs >= 2, $"{name}: the interrupted helm install should have run again ({installs} runs)");
        }

        await client.WaitUntilGoneAsync("durable-delete", TimeSpan.FromSeconds(120));

        var activityAfter = await client.ActivityAsync(limit: 500);
        var ids = activityAfter.Select(a => a.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(activityBefore, a => Assert.Contains(a.GetProperty("id").GetInt64(), ids));
        Assert.DoesNotContain(activityAfter, a => a.GetProperty("action").GetString() == "reconcile.failed");
        output.WriteLine(string.Join("\n", activityAfter.Select(a => $"{a.GetProperty("storeName").GetString()} {a.GetProperty("action").GetString()} {a.GetProperty("detail")}")));
    }
}
