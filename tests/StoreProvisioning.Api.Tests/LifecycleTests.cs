using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>The store state machine over HTTP: install, failure and retry, upgrade, rollback, delete.</summary>
public sealed class LifecycleTests(LifecycleServer fixture) : IClassFixture<LifecycleServer>
{
    private readonly HttpClient client = fixture.Client;
    private readonly TestServerProcess server = fixture.Server;

    [Fact]
    // Proves create → READY at revision 1 through the namespace apply and one helm upgrade --install of the engine's chart.
    public async Task Create_provisions_the_store_to_ready()
    {
        using var response = await client.CreateAsync("life-ready", "life-user-1");
        await response.AssertAcceptedAsync("life-ready");
        var store = await client.WaitForStatusAsync("life-ready", ApiCalls.Terminal);

        Assert.Equal("READY", store.GetProperty("status").GetString());
        Assert.Equal(1, store.GetProperty("revision").GetInt32());
        Assert.Equal(JsonValueKind.Null, store.GetProperty("error").ValueKind);
        Assert.Equal("install", store.GetProperty("operation").GetString());

        var calls = server.FakeCli.Calls();
        var install = Assert.Single(calls, c => c.Tool == "helm" && c.Argv.Length > 2 && c.Argv[0] == "upgrade" && c.Argv.Contains("life-ready"));
        Assert.Contains("--install", install.Argv);
        Assert.Contains(Path.Combine(RepositoryFiles.Root, "helm", "woocommerce"), install.Argv);
        Assert.Equal("store-life-ready", NamespaceOf(install.Argv));
        Assert.Contains(install.Argv, a => a.StartsWith("--wait", StringComparison.Ordinal));
        Assert.Contains("--timeout", install.Argv);
        Assert.DoesNotContain(install.Argv, a => a.StartsWith("--set", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Tool == "kubectl" && c.Argv.Contains("apply"));

        var actions = (await client.ActivityAsync("life-ready")).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("create.requested", actions);
        Assert.Contains("install.started", actions);
        Assert.Contains("install.succeeded", actions);
    }

    [Fact]
    // Proves a failing install ends FAILED with a reason, retry answers 202 (PROVISIONING, retry) and ends READY.
    public async Task Failed_install_explains_itself_and_retry_recovers()
    {
        using var response = await client.CreateAsync("fail-life", "life-user-2");
        await response.AssertAcceptedAsync("fail-life");
        var failed = await client.WaitForStatusAsync("fail-life", ApiCalls.Terminal);
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failed.GetProperty("error").GetString()));

        var actions = (await client.ActivityAsync("fail-life")).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("install.failed", actions);

        using var retry = await client.PostAsync("/api/stores/fail-life/retry", null);
        var accepted = await retry.AssertAcceptedAsync("fail-life");
        Assert.Equal("PROVISIONING", accepted.GetProperty("status").GetString());
        Assert.Equal("retry", accepted.GetProperty("operation").GetString());

        var ready = await client.WaitForStatusAsync("fail-life", ApiCalls.Terminal);
        Assert.Equal("READY", ready.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, ready.GetProperty("error").ValueKind);
        Assert.Contains("retry.requested", (await client.ActivityAsync("fail-life")).Select(a => a.GetProperty("action").GetString()));
    }

    [Fact]
    // Proves upgrade → revision 2 and rollback → revision 3, each answering 202 PROVISIONING with its operation, and the metrics count them.
    public async Task Upgrade_then_rollback_advance_the_revision()
    {
        var before = await client.GetJsonAsync("/api/stores/metrics");
        using var response = await client.CreateAsync("life-upgrade", "life-user-3");
        await response.AssertAcceptedAsync("life-upgrade");
        await client.WaitForStatusAsync("life-upgrade", "READY");

        using var upgrade = await client.PostAsync("/api/stores/life-upgrade/upgrade", ApiCalls.Json("""{"values":{"plan":"medium"}}"""));
        var upgrading = await upgrade.AssertAcceptedAsync("life-upgrade");
        Assert.Equal("PROVISIONING", upgrading.GetProperty("status").GetString());
        Assert.Equal("upgrade", upgrading.GetProperty("operation").GetString());
        var upgraded = await client.WaitForStatusAsync("life-upgrade", ApiCalls.Terminal);
        Assert.Equal("READY", upgraded.GetProperty("status").GetString());
        Assert.Equal(2, upgraded.GetProperty("revision").GetInt32());

        using var rollback = await client.PostAsync("/api/stores/life-upgrade/rollback", null);
        var rolling = await rollback.AssertAcceptedAsync("life-upgrade");
        Assert.Equal("PROVISIONING", rolling.GetProperty("status").GetString());
        Assert.Equal("rollback", rolling.GetProperty("operation").GetString());
        var rolled = await client.WaitForStatusAsync("life-upgrade", ApiCalls.Terminal);
        Assert.Equal("READY", rolled.GetProperty("status").GetString());
        Assert.Equal(3, rolled.GetProperty("revision").GetInt32());

        var rollbackCall = server.FakeCli.Calls().Last(c => c.Tool == "helm" && c.Argv.Length > 1 && c.Argv[0] == "rollback" && c.Argv[1] == "life-upgrade");
        Assert.Equal("1", rollbackCall.Argv[2]);

        using var explicitRollback = await client.PostAsync("/api/stores/life-upgrade/rollback", ApiCalls.Json("""{"revision":2}"""));
        await explicitRollback.AssertAcceptedAsync("life-upgrade");
        var again = await client.WaitForStatusAsync("life-upgrade", ApiCalls.Terminal);
        Assert.Equal("READY", again.GetProperty("status").GetString());
        Assert.Equal(4, again.GetProperty("revision").GetInt32());

        var after = await client.GetJsonAsync("/api/stores/metrics");
        Assert.True(after.GetProperty("upgrades").GetInt32() >= before.GetProperty("upgrades").GetInt32() + 1);
        Assert.True(after.GetProperty("rollbacks").GetInt32() >= before.GetProperty("rollbacks").GetInt32() + 2);
    }

    [Fact]
    // Proves delete answers 202 DELETING, runs helm uninstall and kubectl delete namespace, then the store is 404 while its history stays listed.
    public async Task Delete_removes_the_store_and_keeps_its_history()
    {
        using var response = await client.CreateAsync("life-delete", "life-user-4");
        await response.AssertAcceptedAsync("life-delete");
        await client.WaitForStatusAsync("life-delete", "READY");

        using var delete = await client.DeleteAsync("/api/stores/life-delete");
        var deleting = await delete.AssertAcceptedAsync("life-delete");
        Assert.Equal("DELETING", deleting.GetProperty("status").GetString());
        Assert.Equal("delete", deleting.GetProperty("operation").GetString());

        await client.WaitUntilGoneAsync("life-delete");
        using var gone = await client.GetAsync("/api/stores/life-delete");
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await client.GetJsonAsync("/api/stores")).EnumerateArray(), s => s.GetProperty("name").GetString() == "life-delete");

        var history = (await client.ActivityAsync("life-delete")).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("create.requested", history);
        Assert.Contains("delete.requested", history);
        Assert.Contains("store.removed", history);

        var calls = server.FakeCli.Calls();
        Assert.Contains(calls, c => c.Tool == "helm" && c.Argv.Length > 1 && c.Argv[0] == "uninstall" && c.Argv[1] == "life-delete");
        Assert.Contains(calls, c => c.Tool == "kubectl" && c.Argv.Contains("delete") && c.Argv.Contains("store-life-delete"));

        // The name and the user's quota are free again.
        using var reuse = await client.CreateAsync("life-delete", "life-user-4");
        await reuse.AssertAcceptedAsync("life-delete");
    }

    [Fact]
    // Proves a FAILED store (never installed) can be deleted, and the row is removed even though the uninstall finds nothing.
    public async Task A_failed_store_can_be_deleted()
    {
        server.FakeCli.SetBehaviour("life-broken", "upgrade:fail");
        using var response = await client.CreateAsync("life-broken", "life-user-5");
        await response.AssertAcceptedAsync("life-broken");
        Assert.Equal("FAILED", (await client.WaitForStatusAsync("life-broken", ApiCalls.Terminal)).GetProperty("status").GetString());

        using var delete = await client.DeleteAsync("/api/stores/life-broken");
        await delete.AssertAcceptedAsync("life-broken");
        await client.WaitUntilGoneAsync("life-broken");
        Assert.Contains("store.removed", (await client.ActivityAsync("life-broken")).Select(a => a.GetProperty("action").GetString()));
    }

    [Fact]
    // Proves a delete whose namespace deletion fails keeps the store DELETING with the reason (its name stays taken),
    // and the reconciler finishes it once the namespace can go, recording the failure on the way.
    public async Task Delete_with_a_failed_namespace_deletion_keeps_a_tombstone_until_it_is_gone()
    {
        using var response = await client.CreateAsync("life-partial", "life-user-6");
        await response.AssertAcceptedAsync("life-partial");
        await client.WaitForStatusAsync("life-partial", "READY");
        server.FakeCli.SetBehaviour("ns-store-life-partial", "once:fail");

        using var delete = await client.DeleteAsync("/api/stores/life-partial");
        await delete.AssertAcceptedAsync("life-partial");
        var tombstone = await client.WaitForStatusAsync("life-partial", "DELETING");
        for (var i = 0; i < 600 && tombstone.GetProperty("error").ValueKind == System.Text.Json.JsonValueKind.Null; i++)
        {
            await Task.Delay(100);
            tombstone = await client.GetJsonAsync("/api/stores/life-partial");
        }

        Assert.Contains("name stays reserved", tombstone.GetProperty("error").GetString());
        using var again = await client.CreateAsync("life-partial", "life-user-7");
        ApiCalls.AssertFieldError(await again.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest), "storeName");
        await client.WaitUntilGoneAsync("life-partial", TimeSpan.FromMinutes(4)); // the reconciler re-drives the delete
        var history = (await client.ActivityAsync("life-partial")).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("namespace.delete-failed", history);
        Assert.Contains("store.removed", history);
    }

    // helm takes the namespace as "-n NS", "--namespace NS" or "--namespace=NS".
    private static string? NamespaceOf(string[] argv)
    {
        for (var i = 0; i < argv.Length; i++)
        {
            if (argv[i] is "-n" or "--namespace" && i + 1 < argv.Length)
            {
                return argv[i + 1];
            }

            if (argv[i].StartsWith("--namespace=", StringComparison.Ordinal))
            {
                return argv[i]["--namespace=".Length..];
            }
        }

        return null;
    }
}
