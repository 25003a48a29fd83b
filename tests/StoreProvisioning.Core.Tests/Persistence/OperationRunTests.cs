using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Persistence;

/// <summary>
/// The operation_runs table: one row per finished operation, written with the outcome on the store (READY, FAILED,
/// cancelled, row removed) and reported to the observer once committed; the durations and queue read from it.
/// Runs on SQLite here and on PostgreSQL in PostgresContractTests.
/// </summary>
public class OperationRunTests : IDisposable
{
    private readonly RepositoryHarness h;

    public OperationRunTests()
        : this(new RepositoryHarness())
    {
    }

    protected OperationRunTests(RepositoryHarness harness) => h = harness;

    private StoreRepository Repo => h.Repository;

    public void Dispose()
    {
        h.Dispose();
        GC.SuppressFinalize(this);
    }

    private long RunRows() => h.Count("SELECT COUNT(*) FROM operation_runs");

    // An install that succeeds is one run: install/succeeded, timed from the accepted create to READY, and the table row matches.
    [Fact]
    public async Task A_succeeded_install_is_one_run_timed_from_its_acceptance()
    {
        var created = await h.CreateAsync("acme", "alice");
        var accepted = h.Clock.GetUtcNow();
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await Repo.BeginInstallAsync("acme", created.OperationId!, new ActivityDraft(AuditActions.InstallStarted))).Applied);
        Assert.Empty(h.Runs.All);
        h.Clock.Advance(TimeSpan.FromSeconds(12));
        Assert.True((await Repo.SucceedAsync("acme", created.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);

        var run = Assert.Single(h.Runs.All);
        Assert.Equal(new OperationRun(created.OperationId!, "acme", "alice", StoreOperation.Install, OperationResult.Succeeded, accepted, accepted.AddSeconds(42)), run);
        Assert.Equal(TimeSpan.FromSeconds(42), run.Duration);
        Assert.Equal(1L, RunRows());
        Assert.Equal(42_000L, h.Count("SELECT duration_ms FROM operation_runs WHERE operation_id = $op", ("$op", created.OperationId!)));
        Assert.Equal("alice|install|succeeded", h.Scalar("SELECT user_id || '|' || operation || '|' || result FROM operation_runs"));
    }

    // A failed install and the retry that repairs it are two runs; the retry is timed from its own request.
    [Fact]
    public async Task Failure_and_retry_are_separate_runs()
    {
        await h.FailedAsync("acme");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var retry = await Repo.BeginOperationAsync("acme", LifecycleCommand.Retry, StoreOperation.Retry, null, new ActivityDraft(AuditActions.RetryRequested));
        h.Clock.Advance(TimeSpan.FromSeconds(7));
        Assert.True((await Repo.SucceedAsync("acme", retry.Store!.OperationId!, 2, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);

        Assert.Collection(
            h.Runs.All,
            r => Assert.Equal((StoreOperation.Install, OperationResult.Failed), (r.Operation, r.Result)),
            r =>
            {
                Assert.Equal((StoreOperation.Retry, OperationResult.Succeeded), (r.Operation, r.Result));
                Assert.Equal(TimeSpan.FromSeconds(7), r.Duration);
            });
        Assert.Equal(2L, RunRows());
    }

    // A cancel ends the operation in flight as cancelled (under the cancelled operation's id); what that operation
    // reports later is fenced off and writes no second run.
    [Fact]
    public async Task A_cancel_is_a_cancelled_run_and_late_reports_add_none()
    {
        var provisioning = await h.ProvisioningAsync("acme");
        h.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await Repo.CancelAsync("acme", provisioning.OperationId!, "cancelled by op", new ActivityDraft(AuditActions.OperationCancelled))).Applied);
        Assert.False((await Repo.SucceedAsync("acme", provisioning.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);
        Assert.False((await Repo.FailAsync("acme", provisioning.OperationId!, "late", new ActivityDraft(AuditActions.InstallFailed))).Applied);

        var run = Assert.Single(h.Runs.All);
        Assert.Equal((provisioning.OperationId, OperationResult.Cancelled, TimeSpan.FromSeconds(3)), (run.OperationId, run.Result, run.Duration));
        Assert.Equal(1L, RunRows());
    }

    // A delete is one run when its row goes (kept with the owner after the store is gone); a tombstone (namespace not
    // gone yet) is no outcome: the delete is still in flight.
    [Fact]
    public async Task A_delete_finishes_when_the_row_goes_not_while_held()
    {
        var deleting = await h.DeletingAsync("acme", "bob");
        var before = h.Runs.All.Count;
        Assert.True(await Repo.HoldDeletingAsync("acme", deleting.OperationId!, "namespace still there", new ActivityDraft(AuditActions.DeleteBlocked)));
        Assert.Equal(before, h.Runs.All.Count);
        h.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));
        Assert.False(await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));

        var run = h.Runs.All[^1];
        Assert.Equal(("acme", "bob", StoreOperation.Delete, OperationResult.Succeeded, TimeSpan.FromSeconds(9)), (run.StoreName, run.UserId, run.Operation, run.Result, run.Duration));
        Assert.Equal(before + 1, h.Runs.All.Count);
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM operation_runs WHERE operation = 'delete' AND user_id = 'bob'"));
    }

    // The reconciler flagging a READY store (drift) ends no operation; failing an interrupted install does.
    [Fact]
    public async Task Drift_is_not_a_run_but_an_interrupted_install_is()
    {
        var ready = await h.ReadyAsync("acme");
        var provisioning = await h.ProvisioningAsync("bobs", "bob");
        var before = h.Runs.All.Count;
        Assert.True((await Repo.FlagDriftAsync("acme", ready.OperationId, "release missing", new ActivityDraft(AuditActions.ReconcileDrift))).Applied);
        Assert.Equal(before, h.Runs.All.Count);
        Assert.True((await Repo.FailAsync("bobs", provisioning.OperationId, "interrupted", new ActivityDraft(AuditActions.ReconcileFailed))).Applied);
        Assert.Equal((StoreOperation.Install, OperationResult.Failed, "bob"), (h.Runs.All[^1].Operation, h.Runs.All[^1].Result, h.Runs.All[^1].UserId));
    }

    // Durations: per operation over the window, nearest-rank p50/p95, a user's own stores only, runs before the window left out.
    [Fact]
    public async Task Durations_are_per_operation_in_the_window_and_scoped_to_the_owner()
    {
        await InstallAsync("old-1", "alice", seconds: 500);
        h.Clock.Advance(TimeSpan.FromHours(25));
        for (var i = 1; i <= 10; i++)
        {
            await InstallAsync($"alice-{i}", "alice", seconds: i);
        }

        await InstallAsync("bob-1", "bob", seconds: 100);
        await h.FailedAsync("bob-2", "bob");

        var all = await h.Observability.DurationsAsync(TimeSpan.FromHours(24), ownerScope: null, capacity: 2);
        Assert.Equal(h.Clock.GetUtcNow().AddHours(-24), all.Since);
        var install = Assert.Single(all.Operations);
        Assert.Equal((StoreOperation.Install, 12), (install.Operation, install.Count));
        Assert.Equal(5.0, install.P50Seconds);   // sorted 0, 1..10, 100: rank ceil(6) = the 6th value
        Assert.Equal(100.0, install.P95Seconds); // rank ceil(11.4) = 12th value

        var alice = Assert.Single((await h.Observability.DurationsAsync(TimeSpan.FromHours(24), "alice", 2)).Operations);
        Assert.Equal((10, 5.0, 10.0), (alice.Count, alice.P50Seconds, alice.P95Seconds));
        Assert.Empty((await h.Observability.DurationsAsync(TimeSpan.FromHours(24), "carol", 2)).Operations);
        Assert.Equal(11, Assert.Single((await h.Observability.DurationsAsync(TimeSpan.FromDays(2), "alice", 2)).Operations).Count);
    }

    // The queue figures are the cluster slot queue now: the first `capacity` claims hold a slot, the rest wait.
    [Fact]
    public async Task Queue_figures_count_slots_in_use_and_waiting()
    {
        var queue = new ClusterSlotQueue(h.Database, h.Clock);
        Assert.Equal(new QueueFigures(0, 0, 2), await h.Observability.QueueAsync(2));
        foreach (var op in new[] { "op-1", "op-2", "op-3" })
        {
            await queue.ClaimAsync(op, "store-" + op, "instance-" + op, 2);
        }

        Assert.Equal(new QueueFigures(1, 2, 2), await h.Observability.QueueAsync(2));
        Assert.Equal(new QueueFigures(0, 3, 5), (await h.Observability.DurationsAsync(TimeSpan.FromHours(1), "anyone", 5)).Queue);
    }

    // Store info reads every store's engine, status and revision.
    [Fact]
    public async Task Store_info_lists_every_store()
    {
        await h.ReadyAsync("acme", revision: 3);
        await h.CreateAsync("bobs", "bob", StoreEngine.Medusa);

        var rows = (await h.Observability.StoresAsync()).OrderBy(r => r.Name).ToList();
        Assert.Equal(
            [new StoreInfoRow("acme", StoreEngine.WooCommerce, StoreStatus.Ready, 3), new StoreInfoRow("bobs", StoreEngine.Medusa, StoreStatus.New, null)],
            rows);
    }

    // Runs older than the retention cutoff are pruned with the audit rows; newer ones stay.
    [Fact]
    public async Task Old_runs_are_pruned()
    {
        await InstallAsync("old-1", "alice", 1);
        await InstallAsync("old-2", "alice", 1);
        h.Clock.Advance(TimeSpan.FromDays(100));
        await InstallAsync("new-1", "alice", 1);

        Assert.Equal(2, await Repo.PruneOperationRunsAsync(h.Clock.GetUtcNow().AddDays(-90), batchSize: 1));
        Assert.Equal(1L, RunRows());
        Assert.Equal(0, await Repo.PruneOperationRunsAsync(h.Clock.GetUtcNow().AddDays(-90)));
    }

    private async Task InstallAsync(string name, string user, int seconds)
    {
        var created = await h.CreateAsync(name, user, max: 100);
        h.Clock.Advance(TimeSpan.FromSeconds(seconds));
        Assert.True((await Repo.BeginInstallAsync(name, created.OperationId!, new ActivityDraft(AuditActions.InstallStarted))).Applied);
        Assert.True((await Repo.SucceedAsync(name, created.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);
    }
}
