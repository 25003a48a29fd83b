using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// A graceful stop (SIGTERM) of the server while installs hang in helm (issue 15): the CLI runner stops its children
/// before the process exits, so no helm is left behind as an orphan; after a restart the interrupted stores are
/// recovered as after a crash (the reconciler fails them with a retryable reason, retry recovers the release).
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestServerProcess server = null!;

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["RECONCILE_INTERVAL"] = "3s",
        ["HELM_TIMEOUT"] = "300s",
        ["TERMINATION_GRACE"] = "2s",
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves SIGTERM to the server stops a helm that honours SIGTERM and kills one that ignores it, leaves no fake CLI process alive, and that both stores are FAILED with a reason after a restart and retry to READY.
    public async Task Sigterm_leaves_no_cli_process_behind_and_the_stores_recover_after_restart()
    {
        var client = server.Client;
        server.FakeCli.SetBehaviour("stop-polite", "once:upgrade:hang");
        server.FakeCli.SetBehaviour("stop-stubborn", "once:upgrade:hang-hard");
        foreach (var name in new[] { "stop-polite", "stop-stubborn" })
        {
            using var created = await client.CreateAsync(name, "stop-user");
            await created.AssertAcceptedAsync(name);
        }

        await WaitForAsync(() => HelmInstalls().Count == 2, "both helm installs to start");
        var pids = HelmInstalls().Select(c => c.Pid).ToList();
        Assert.Equal(pids.Count, server.FakeCli.RunningPids().Intersect(pids).Count());

        var exitCode = await server.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"server exited with {exitCode}");

        Assert.Empty(server.FakeCli.RunningPids());
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"helm pid {pid} outlived the server"));
        // The one that honours SIGTERM ended by itself (helm marks its release failed); the other was killed (no end line).
        var polite = HelmInstalls().Single(c => c.Argv.Contains("stop-polite")).Pid;
        Assert.Contains(server.FakeCli.Calls(), c => c.Pid == polite && c.End is not null);
        Assert.Contains("is stopped for shutdown; sending SIGTERM", server.Log, StringComparison.Ordinal);

        await server.StartProcessAsync();
        client = server.Client;
        foreach (var name in new[] { "stop-polite", "stop-stubborn" })
        {
            // The reconciler leaves rows alone for 30 s, then fails an install whose orchestration is gone.
            var store = await client.WaitForStatusAsync(name, "FAILED", TimeSpan.FromSeconds(75));
            output.WriteLine($"{name}: {store.GetProperty("error")}");
            Assert.False(string.IsNullOrWhiteSpace(store.GetProperty("error").GetString()));
            using var retry = await client.PostAsync($"/api/stores/{name}/retry", null);
            await retry.AssertAcceptedAsync(name);
        }

        foreach (var name in new[] { "stop-polite", "stop-stubborn" })
        {
            Assert.Equal("READY", (await client.WaitForStatusAsync(name, ApiCalls.Terminal)).GetProperty("status").GetString());
        }

        // The killed helm left its release pending-install; the retry recovered it first.
        Assert.Contains(await client.ActivityAsync("stop-stubborn"), a => a.GetProperty("action").GetString() == "release.recovered");
    }

    private List<CliCall> HelmInstalls() => server.FakeCli.Calls()
        .Where(c => c.Tool == "helm" && c.Argv.Length > 0 && c.Argv[0] == "upgrade")
        .ToList();

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        // Generous: two stores' namespace and install steps on a loaded 2-core machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(200);
        }
    }
}
