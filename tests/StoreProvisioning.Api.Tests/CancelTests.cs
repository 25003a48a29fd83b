using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// POST /api/stores/{name}/cancel over HTTP (issue 15): it stops the operation in flight — the orchestration and the
/// helm/kubectl process it is blocked on — and leaves the store FAILED "cancelled by …" with an audit row, ready for a
/// retry (or a new delete) that recovers what the stopped process left behind.
/// </summary>
public sealed class CancelTests : IAsyncLifetime
{
    private TestServerProcess server = null!;

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["HELM_TIMEOUT"] = "300s",
        ["TERMINATION_GRACE"] = "2s",
        ["MAX_STORES_PER_USER"] = "10",
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    // Proves cancel on an install hanging in helm answers 200 with the store FAILED "cancelled by", stops the helm process, writes operation.cancelled, and a retry recovers the release to READY.
    public async Task Cancel_of_a_hanging_install_stops_helm_and_retry_reaches_ready()
    {
        var client = server.Client;
        server.FakeCli.SetBehaviour("cancel-install", "once:upgrade:hang");
        using (var created = await client.CreateAsync("cancel-install", "cancel-user"))
        {
            await created.AssertAcceptedAsync("cancel-install");
        }

        var pid = await WaitForRunningAsync("helm", "upgrade", "cancel-install");

        using var cancel = await client.PostAsync("/api/stores/cancel-install/cancel", null);
        var text = await cancel.Content.ReadAsStringAsync();
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)cancel.StatusCode}: {text}");
        var store = await cancel.BodyAsync();
        Assert.Equal("FAILED", store.GetProperty("status").GetString());
        Assert.Contains("cancelled by", store.GetProperty("error").GetString(), StringComparison.Ordinal);

        AssertGone(pid);
        Assert.Contains(await client.ActivityAsync("cancel-install"), a => a.GetProperty("action").GetString() == "operation.cancelled");
        await Task.Delay(1000); // nothing the stopped operation reports later may change the row
        Assert.Equal("FAILED", (await client.GetJsonAsync("/api/stores/cancel-install")).GetProperty("status").GetString());

        using var retry = await client.PostAsync("/api/stores/cancel-install/retry", null);
        await retry.AssertAcceptedAsync("cancel-install");
        Assert.Equal("READY", (await client.WaitForStatusAsync("cancel-install", ApiCalls.Terminal)).GetProperty("status").GetString());
    }

    [Fact]
    // Proves cancel on a delete whose helm uninstall ignores SIGTERM kills it after the grace period, leaves the store FAILED (not removed), and a new delete then removes it.
    public async Task Cancel_of_a_hanging_delete_kills_the_stuck_uninstall_and_the_store_can_be_deleted_again()
    {
        var client = server.Client;
        using (var created = await client.CreateAsync("cancel-delete", "cancel-user"))
        {
            await created.AssertAcceptedAsync("cancel-delete");
        }

        await client.WaitForStatusAsync("cancel-delete", "READY");
        server.FakeCli.SetBehaviour("cancel-delete", "once:uninstall:hang-hard");
        using (var delete = await client.DeleteAsync("/api/stores/cancel-delete"))
        {
            await delete.AssertAcceptedAsync("cancel-delete");
        }

        var pid = await WaitForRunningAsync("helm", "uninstall", "cancel-delete");

        using var cancel = await client.PostAsync("/api/stores/cancel-delete/cancel", null);
        var text = await cancel.Content.ReadAsStringAsync();
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)cancel.StatusCode}: {text}");
        Assert.Equal("FAILED", (await cancel.BodyAsync()).GetProperty("status").GetString());
        AssertGone(pid);
        Assert.DoesNotContain(server.FakeCli.Calls(), c => c.Pid == pid && c.End is not null); // it ignored SIGTERM: killed

        await Task.Delay(1000);
        var after = await client.GetJsonAsync("/api/stores/cancel-delete");
        Assert.Equal("FAILED", after.GetProperty("status").GetString());
        Assert.Contains("cancelled by", after.GetProperty("error").GetString(), StringComparison.Ordinal);

        using (var again = await client.DeleteAsync("/api/stores/cancel-delete"))
        {
            await again.AssertAcceptedAsync("cancel-delete");
        }

        await client.WaitUntilGoneAsync("cancel-delete");
    }

    [Fact]
    // Proves cancel with nothing in flight is a 409 problem that changes nothing, and an unknown store is 404.
    public async Task Cancel_with_nothing_in_flight_is_409()
    {
        var client = server.Client;
        using (var created = await client.CreateAsync("cancel-idle", "cancel-user"))
        {
            await created.AssertAcceptedAsync("cancel-idle");
        }

        var ready = await client.WaitForStatusAsync("cancel-idle", "READY");
        using var cancel = await client.PostAsync("/api/stores/cancel-idle/cancel", null);
        var problem = await cancel.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("no operation is in flight", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await client.GetJsonAsync("/api/stores/cancel-idle");
        Assert.Equal(ready.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.DoesNotContain(await client.ActivityAsync("cancel-idle"), a => a.GetProperty("action").GetString() == "operation.cancelled");

        using var missing = await client.PostAsync("/api/stores/cancel-nobody/cancel", null);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<int> WaitForRunningAsync(string tool, string verb, string release)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var start = server.FakeCli.Calls().LastOrDefault(c => c.Tool == tool && c.Argv.Length > 1 && c.Argv[0] == verb && c.Argv.Contains(release));
            if (start is not null && server.FakeCli.RunningPids().Contains(start.Pid))
            {
                return start.Pid;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{tool} {verb} {release} did not start");
            await Task.Delay(200);
        }
    }

    private void AssertGone(int pid)
    {
        Assert.DoesNotContain(pid, server.FakeCli.RunningPids());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the {pid} CLI process is still alive after cancel");
    }
}
