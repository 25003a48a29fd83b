using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Functions.Reconciliation;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests.Reconciliation;

/// <summary>The reconciler's observe → act half, against the real durable engine, SQLite and the fake CLIs.</summary>
[Collection(OrchestrationCollection.Name)]
public sealed class StoreReconcilerTests
{
    // A store whose install orchestration is gone (e.g. lost with an in-memory engine) is FAILED with a retryable reason.
    [Fact]
    public async Task Lost_install_is_failed_with_a_retryable_reason()
    {
        var clock = new ShiftedClock();
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await h.CreateAsync("acme"); // NEW, and no orchestration was ever started

        Assert.Equal(0, await RunAsync(h)); // too fresh: it may be about to be queued
        clock.Shift = ReconcileDecision.SettleTime + TimeSpan.FromSeconds(5);
        Assert.Equal(1, await RunAsync(h));

        var store = await h.Repository.GetAsync("acme");
        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("interrupted", store.Error);
        Assert.Contains(AuditActions.ReconcileFailed, await h.ActionsAsync("acme"));
        Assert.Equal(StoreStatus.Ready, (await h.RetryAsync("acme"))!.Status);
    }

    // A delete whose orchestration is gone is started again and finishes: the row is removed, its history kept.
    [Fact]
    public async Task Lost_delete_is_redriven_to_removal()
    {
        var clock = new ShiftedClock();
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await h.ProvisionAsync("acme");
        Assert.True((await h.Stores.DeleteAsync(Callers.Operator, "acme")).IsOk); // DELETING, orchestration never started

        clock.Shift = ReconcileDecision.SettleTime + TimeSpan.FromSeconds(5);
        Assert.Equal(1, await RunAsync(h));

        await WaitUntilAsync(async () => await h.Repository.GetAsync("acme") is null);
        var actions = await h.ActionsAsync("acme");
        Assert.Contains(AuditActions.ReconcileRedriven, actions);
        Assert.Equal(AuditActions.StoreRemoved, actions[^1]);
        Assert.Equal(0, await RunAsync(h)); // nothing left to do
    }

    // While a delete hangs on a namespace stuck Terminating, the reconciler reports what blocks it — once, not every pass.
    [Fact]
    public async Task Stuck_namespace_is_reported_once_with_its_blockers()
    {
        var clock = new ShiftedClock();
        await using var h = await Harness.StartAsync(
            settings: new Dictionary<string, string?> { ["HELM_TIMEOUT"] = "8s", ["TERMINATION_GRACE"] = "1s" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        await h.ProvisionAsync("acme");
        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "hang");
        var deleting = (await h.Stores.DeleteAsync(Callers.Operator, "acme")).Value!;
        await h.Host.Client.ScheduleNewOrchestrationInstanceAsync(
            OperationLauncher.OrchestratorFor(StoreOperation.Delete),
            OperationLauncher.InputFor(deleting, h.Options.OperationDeadline),
            OperationLauncher.StartOptions(OperationLauncher.InstanceIdFor(deleting)));
        await WaitUntilAsync(() => Task.FromResult(h.Fakes.Calls().Any(c => c.Tool == "kubectl" && c.Argv.Contains("delete") && c.End is null)));

        clock.Shift = ReconcileDecision.SettleTime + TimeSpan.FromSeconds(5);
        Assert.Equal(1, await RunAsync(h));
        Assert.Equal(0, await RunAsync(h)); // same blockers: not reported again

        var stuck = (await h.AuditAsync("acme")).Single(a => a.Action == AuditActions.NamespaceStuck);
        Assert.Contains("store-acme is stuck Terminating", stuck.Detail);
        Assert.Contains("finalizers kubernetes", stuck.Detail);
        // The delete ends without removing the row: the namespace is not gone, so the name stays taken (tombstone).
        await WaitUntilAsync(async () => (await h.Repository.GetAsync("acme"))?.Error is not null, TimeSpan.FromSeconds(60));
        var tombstone = await h.Repository.GetAsync("acme");
        Assert.Equal(StoreStatus.Deleting, tombstone!.Status);
        Assert.Contains("name stays reserved", tombstone.Error);
    }

    // Issue 10: a store whose namespace deletion failed keeps its row (DELETING, with the reason), so its name cannot
    // be taken again; the reconciler re-drives the delete, and only when kubectl confirms the namespace is gone does
    // the row go and the name become free.
    [Fact]
    public async Task Tombstone_holds_the_name_until_the_reconciler_confirms_the_namespace_is_gone()
    {
        var clock = new ShiftedClock();
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await h.ProvisionAsync("acme");
        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "fail");

        var tombstone = await h.DeleteAsync("acme");

        Assert.Equal(StoreStatus.Deleting, tombstone!.Status);
        Assert.Contains("namespace store-acme was not deleted", tombstone.Error);
        Assert.Contains("name stays reserved", tombstone.Error);
        Assert.Contains(AuditActions.DeleteBlocked, await h.ActionsAsync("acme"));
        var again = await h.Stores.CreateAsync(Callers.Operator, new Validation.CreateStoreRequest("acme", "bob", StoreEngine.WooCommerce));
        Assert.Equal(Lifecycle.RefusalKind.Invalid, again.Refusal?.Kind); // the name is still taken

        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "ok");
        clock.Shift = ReconcileDecision.SettleTime + TimeSpan.FromSeconds(5);
        Assert.Equal(1, await RunAsync(h));
        await WaitUntilAsync(async () => await h.Repository.GetAsync("acme") is null);
        Assert.Equal(AuditActions.StoreRemoved, (await h.ActionsAsync("acme"))[^1]);
        Assert.False(File.Exists(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json")));

        var reused = await h.Stores.CreateAsync(Callers.Operator, new Validation.CreateStoreRequest("acme", "bob", StoreEngine.WooCommerce));
        Assert.True(reused.IsOk, reused.Refusal?.Detail);
        Assert.Equal(StoreStatus.Ready, (await h.RunAsync(reused.Value!))!.Status);
    }

    // A READY store's platform isolation is put back by the reconciler when it drifted (a NetworkPolicy deleted by
    // hand), without an audit row or a status change: re-applying the same render is idempotent.
    [Fact]
    public async Task Drifted_isolation_is_reapplied()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        var policy = Path.Combine(h.Fakes.State, "objects", "store-acme", "NetworkPolicy.store-default-deny.json");
        Assert.True(File.Exists(policy));
        File.Delete(policy);
        var actions = await h.ActionsAsync("acme");

        Assert.Equal(0, await RunAsync(h));

        Assert.True(File.Exists(policy));
        Assert.Equal(actions, await h.ActionsAsync("acme"));
        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync("acme"))!.Status);
    }

    // The repair never runs beside a step of the store (on any instance: the step holds the store's row in
    // cluster_step_runs): the drift is left to the next pass, which repairs it once the step ended.
    [Fact]
    public async Task Drifted_isolation_waits_while_a_step_of_the_store_runs()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        var policy = Path.Combine(h.Fakes.State, "objects", "store-acme", "NetworkPolicy.store-default-deny.json");
        File.Delete(policy);
        var runs = h.Services.GetRequiredService<ClusterStepRuns>();
        Assert.True(await runs.TryStartAsync("acme", "a-step-elsewhere", TimeSpan.FromMinutes(1)));
        var applies = h.Fakes.Calls().Count(c => c.Tool == "kubectl" && c.Argv[0] == "apply");

        Assert.Equal(0, await RunAsync(h));
        Assert.False(File.Exists(policy));
        Assert.Equal(applies, h.Fakes.Calls().Count(c => c.Tool == "kubectl" && c.Argv[0] == "apply"));

        await runs.EndAsync("acme", "a-step-elsewhere");
        Assert.Equal(0, await RunAsync(h));
        Assert.True(File.Exists(policy));
    }

    // The repair is cluster work: it runs only in a free cluster slot, so PROVISION_CONCURRENCY bounds it with the
    // operations' steps (across instances: the slots are rows in the database). While operations hold every slot the
    // drift is left to a later pass; once a slot is free the repair takes it, and gives it back.
    [Fact]
    public async Task Drifted_isolation_waits_for_a_free_cluster_slot()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "2" });
        await h.ProvisionAsync("acme");
        var policy = Path.Combine(h.Fakes.State, "objects", "store-acme", "NetworkPolicy.store-default-deny.json");
        File.Delete(policy);
        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();
        var holders = new[] { await h.CreateAsync("busy1", user: "u1"), await h.CreateAsync("busy2", user: "u2") };
        foreach (var holder in holders)
        {
            Assert.True(await queue.ClaimAsync(holder.OperationId!, holder.Name, "inst-" + holder.Name, 2));
        }

        var applies = h.Fakes.Calls().Count(c => c.Tool == "kubectl" && c.Argv[0] == "apply");

        Assert.Equal(0, await RunAsync(h));
        Assert.False(File.Exists(policy));
        Assert.Equal(applies, h.Fakes.Calls().Count(c => c.Tool == "kubectl" && c.Argv[0] == "apply"));

        await queue.ReleaseAsync(holders[0].OperationId!, 2);
        Assert.Equal(0, await RunAsync(h));
        Assert.True(File.Exists(policy));
        Assert.Equal([holders[1].Name], (await queue.ListAsync(2)).Select(c => c.StoreName)); // the repair gave its slot back
    }

    // A repair whose process died mid-repair never gives its slot back itself. The pass frees it once it is older than
    // a step's deadline (a live repair ends well within it), and not before: a running repair keeps its slot.
    [Fact]
    public async Task A_repair_left_by_a_dead_process_frees_its_slot_after_the_step_deadline()
    {
        var clock = new ShiftedClock();
        await using var h = await Harness.StartAsync(
            settings: new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();
        var repair = await queue.TryTakeFreeSlotAsync("acme", 1);
        Assert.NotNull(repair);

        clock.Shift = h.Options.OperationDeadline - TimeSpan.FromSeconds(5);
        await RunAsync(h);
        Assert.Equal([repair], (await queue.ListAsync(1)).Select(c => c.OperationId));

        clock.Shift = h.Options.OperationDeadline + TimeSpan.FromSeconds(5);
        await RunAsync(h);
        Assert.Empty(await queue.ListAsync(1));
    }

    // A pass reads the cluster in two CLI calls (`helm list`, `kubectl get`) whatever the number of stores: 1 READY
    // store and 200 READY stores with nothing drifted cost the same calls, and no per-store call.
    [Fact]
    public async Task A_pass_costs_the_same_cli_calls_for_1_and_200_stores()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("tmpl");
        Assert.Equal(0, await RunAsync(h)); // the first pass also renders what an intact namespace holds, once per plan

        var one = await CallsOfOnePassAsync(h);
        for (var i = 0; i < 199; i++)
        {
            await CloneReadyStoreAsync(h, "tmpl", $"s{i:000}");
        }

        var many = await CallsOfOnePassAsync(h);

        Assert.Equal(200, (await h.Queries.ListAsync()).Count(s => s.Status == StoreStatus.Ready));
        Assert.Equal(["helm list", "kubectl get"], one);
        Assert.Equal(one, many);
    }

    private static async Task<List<string>> CallsOfOnePassAsync(Harness h)
    {
        var before = h.Fakes.Calls().Count;
        Assert.Equal(0, await RunAsync(h));
        return h.Fakes.Calls().Skip(before).Select(c => $"{c.Tool} {c.Argv[0]}").ToList();
    }

    // A READY row plus the fakes' namespace, platform objects and release of `template`, renamed: what a full provision
    // of another store leaves, without running 200 installs.
    private static async Task CloneReadyStoreAsync(Harness h, string template, string name)
    {
        var source = (await h.Repository.GetAsync(template))!;
        var created = (await h.Repository.CreateAsync(name, "u-" + name, StoreEngine.WooCommerce, 1)).Store!;
        Assert.True((await h.Repository.BeginInstallAsync(name, created.OperationId!, new ActivityDraft(AuditActions.InstallStarted))).Applied);
        Assert.True((await h.Repository.SucceedAsync(name, created.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);
        string Rename(string text) => text.Replace(source.Id, created.Id, StringComparison.Ordinal).Replace(template, name, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(h.Fakes.State, "*.json", SearchOption.AllDirectories)
                     .Where(f => f.Contains($"{Path.DirectorySeparatorChar}store-{template}", StringComparison.Ordinal)))
        {
            var target = Rename(file.Replace(h.Fakes.State, string.Empty, StringComparison.Ordinal));
            var path = h.Fakes.State + target;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, Rename(await File.ReadAllTextAsync(file)));
        }
    }

    private static Task<int> RunAsync(Harness h) =>
        h.Services.GetRequiredService<StoreReconciler>().RunAsync(h.Host.Client, CancellationToken.None);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(100);
        }
    }

    /// <summary>System time moved forward by <see cref="Shift"/>, so a row can be made "settled" without waiting.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
