using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Persistence;

/// <summary>
/// Guardrails and the one-operation-per-store rule under real parallel load: one SQLite file, each task on its own
/// connection (and, where noted, its own database object, as separate app instances would be), all released at once.
/// </summary>
public class StoreRepositoryRaceTests : IDisposable
{
    private const int Parallel = 20;
    private readonly RepositoryHarness h;

    public StoreRepositoryRaceTests()
        : this(new RepositoryHarness())
    {
    }

    /// <summary>The same contract on another engine (see PostgresContractTests).</summary>
    protected StoreRepositoryRaceTests(RepositoryHarness harness) => h = harness;

    public void Dispose()
    {
        h.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts every job on its own thread-pool thread and releases them together.</summary>
    private static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> job)
    {
        using var gate = new ManualResetEventSlim();
        using var ready = new CountdownEvent(count);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Factory.StartNew(
            () =>
            {
                ready.Signal();
                gate.Wait();
                return job(i).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        ready.Wait();
        gate.Set();
        return await Task.WhenAll(tasks);
    }

    private static (StoreOperation Operation, string Action) Describe(LifecycleCommand command) => command switch
    {
        LifecycleCommand.Upgrade => (StoreOperation.Upgrade, AuditActions.UpgradeRequested),
        LifecycleCommand.Rollback => (StoreOperation.Rollback, AuditActions.RollbackRequested),
        LifecycleCommand.Retry => (StoreOperation.Retry, AuditActions.RetryRequested),
        _ => (StoreOperation.Delete, AuditActions.DeleteRequested),
    };

    private long OperatorRequests(string store) => h.Count(
        "SELECT COUNT(*) FROM activity WHERE store_name = $s AND action IN ('upgrade.requested', 'rollback.requested', 'retry.requested', 'delete.requested')",
        ("$s", store));

    // 20 parallel creates (distinct names) for one user admit exactly MaxStoresPerUser (3); the rest see LimitReached.
    [Fact]
    public async Task Parallel_creates_for_one_user_admit_exactly_the_limit()
    {
        var results = await RaceAsync(Parallel, i => h.OpenAnother().CreateAsync($"shop-{i:00}", "alice", StoreEngine.WooCommerce, 3));

        Assert.Equal(3, results.Count(r => r.Outcome == CreateOutcome.Created));
        Assert.Equal(Parallel - 3, results.Count(r => r.Outcome == CreateOutcome.LimitReached));
        Assert.All(results.Where(r => r.Outcome == CreateOutcome.LimitReached), r => Assert.Equal(3, r.StoresOwned));
        Assert.Equal(3L, h.Count("SELECT COUNT(*) FROM stores WHERE user_id = 'alice'"));
        Assert.Equal(3L, h.Count("SELECT COUNT(*) FROM activity WHERE action = 'create.requested'"));
    }

    // Two app instances (two database objects, each with its own connection pool) share one database: 20 parallel
    // creates for one user spread over both admit exactly the per-user limit, never one more.
    [Fact]
    public async Task Parallel_creates_over_two_instances_admit_exactly_the_limit()
    {
        var instances = new[] { h.OpenAnother(), h.OpenAnother() };
        var results = await RaceAsync(Parallel, i => instances[i % 2].CreateAsync($"shop-{i:00}", "alice", StoreEngine.WooCommerce, 3));

        Assert.Equal(3, results.Count(r => r.Outcome == CreateOutcome.Created));
        Assert.Equal(Parallel - 3, results.Count(r => r.Outcome == CreateOutcome.LimitReached));
        Assert.Equal(3L, h.Count("SELECT COUNT(*) FROM stores WHERE user_id = 'alice'"));
    }

    // The total limit holds the same way across two instances: 20 users racing for 5 places get exactly 5.
    [Fact]
    public async Task Parallel_creates_over_two_instances_admit_exactly_the_total_limit()
    {
        var instances = new[] { h.OpenAnother(), h.OpenAnother() };
        var results = await RaceAsync(Parallel, i => instances[i % 2].CreateAsync($"shop-{i:00}", $"user-{i}", StoreEngine.WooCommerce, 3, maxStoresTotal: 5));

        Assert.Equal(5, results.Count(r => r.Outcome == CreateOutcome.Created));
        Assert.Equal(Parallel - 5, results.Count(r => r.Outcome == CreateOutcome.TotalLimitReached));
        Assert.Equal(5L, h.Count("SELECT COUNT(*) FROM stores"));
    }

    // The same holds over several rounds and users at once: each of 4 users ends with exactly their limit.
    [Fact]
    public async Task Parallel_creates_for_several_users_each_admit_exactly_the_limit()
    {
        var results = await RaceAsync(40, i => h.Repository.CreateAsync($"shop-{i:00}", $"user-{i % 4}", StoreEngine.Medusa, 3));

        Assert.Equal(12, results.Count(r => r.Outcome == CreateOutcome.Created));
        for (var u = 0; u < 4; u++)
        {
            Assert.Equal(3L, h.Count("SELECT COUNT(*) FROM stores WHERE user_id = $u", ("$u", $"user-{u}")));
        }
    }

    // 20 parallel creates of one name (different users) admit exactly one; the rest see DuplicateName.
    [Fact]
    public async Task Parallel_creates_of_one_name_admit_exactly_one()
    {
        var results = await RaceAsync(Parallel, i => h.OpenAnother().CreateAsync("acme", $"user-{i}", StoreEngine.WooCommerce, 3));

        var winner = Assert.Single(results, r => r.Outcome == CreateOutcome.Created);
        Assert.Equal(Parallel - 1, results.Count(r => r.Outcome == CreateOutcome.DuplicateName));
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM stores"));
        Assert.Equal(winner.Store!.UserId, (await h.Repository.GetAsync("acme"))!.UserId);
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM activity WHERE action = 'create.requested'"));
    }

    // Parallel upgrade/rollback/delete/retry on one READY store: exactly one applies, and exactly one *.requested row is written.
    [Theory]
    [InlineData("ready")]
    [InlineData("failed")]
    public async Task Parallel_operations_on_one_store_apply_exactly_once(string state)
    {
        for (var round = 0; round < 5; round++)
        {
            var name = $"{state}-{round}";
            var before = state == "ready" ? await h.ReadyAsync(name) : await h.FailedAsync(name);
            LifecycleCommand[] commands = [LifecycleCommand.Upgrade, LifecycleCommand.Rollback, LifecycleCommand.Delete, LifecycleCommand.Retry];

            var results = await RaceAsync(Parallel, i =>
            {
                var command = commands[i % commands.Length];
                var (operation, action) = Describe(command);
                return h.OpenAnother().BeginOperationAsync(name, command, operation, null, new ActivityDraft(action));
            });

            var applied = Assert.Single(results, r => r.Applied);
            Assert.All(results.Where(r => !r.Applied), r => Assert.Equal(ChangeOutcome.Refused, r.Outcome));
            Assert.Equal(1L, OperatorRequests(name));

            var after = await h.Repository.GetAsync(name);
            Assert.Equal(applied.Store, after);
            Assert.NotEqual(before.OperationId, after!.OperationId);
            Assert.Contains(after.Status, new[] { StoreStatus.Provisioning, StoreStatus.Deleting });
            if (state == "ready")
            {
                Assert.NotEqual(StoreOperation.Retry, after.Operation);
            }
        }
    }

    // Parallel retries of one FAILED store: exactly one retry runs, the others are refused (not a second run).
    [Fact]
    public async Task Parallel_retries_run_once()
    {
        await h.FailedAsync("acme");
        var results = await RaceAsync(Parallel, _ => h.Repository.BeginOperationAsync(
            "acme", LifecycleCommand.Retry, StoreOperation.Retry, null, new ActivityDraft(AuditActions.RetryRequested)));

        Assert.Single(results, r => r.Applied);
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM activity WHERE action = 'retry.requested'"));
    }

    // Racing Succeed and Fail of one in-flight operation: at most one of each lands, a success never lands after a
    // failure (no FAILED → READY by a stale step), and the audit holds exactly one row per applied outcome.
    [Fact]
    public async Task Parallel_succeed_and_fail_never_resurrect_a_failed_store()
    {
        for (var round = 0; round < 5; round++)
        {
            var name = $"acme-{round}";
            var provisioning = await h.ProvisioningAsync(name);
            var results = await RaceAsync(Parallel, i => i % 2 == 0
                ? h.OpenAnother().SucceedAsync(name, provisioning.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded))
                : h.OpenAnother().FailAsync(name, provisioning.OperationId, "deadline passed", new ActivityDraft(AuditActions.InstallFailed)));

            var succeeded = results.Where((r, i) => i % 2 == 0 && r.Applied).Count();
            var failed = results.Where((r, i) => i % 2 == 1 && r.Applied).Count();
            Assert.InRange(succeeded, 0, 1);
            Assert.InRange(failed, 0, 1);
            Assert.True(succeeded + failed >= 1);
            var final = (await h.Repository.GetAsync(name))!;
            Assert.Equal(failed == 1 ? StoreStatus.Failed : StoreStatus.Ready, final.Status);
            Assert.Equal(succeeded, h.Count("SELECT COUNT(*) FROM activity WHERE store_name = $s AND action = 'install.succeeded'", ("$s", name)));
            Assert.Equal(failed, h.Count("SELECT COUNT(*) FROM activity WHERE store_name = $s AND action = 'install.failed'", ("$s", name)));
        }
    }

    // Parallel creates, operations and deletes on many stores keep every invariant: one row per name, per-user limits, audit = applied.
    [Fact]
    public async Task Mixed_parallel_load_keeps_invariants()
    {
        for (var i = 0; i < 6; i++)
        {
            await h.ReadyAsync($"base-{i}", $"user-{i % 3}");
        }

        var results = await RaceAsync(60, i =>
        {
            var repo = h.OpenAnother();
            return (i % 3) switch
            {
                0 => repo.CreateAsync($"new-{i / 3 % 9}", $"user-{i / 3 % 3}", StoreEngine.WooCommerce, 3).ContinueWith(t => (object)t.Result, TaskScheduler.Default),
                1 => repo.BeginOperationAsync($"base-{i / 3 % 6}", LifecycleCommand.Upgrade, StoreOperation.Upgrade, null, new ActivityDraft(AuditActions.UpgradeRequested)).ContinueWith(t => (object)t.Result, TaskScheduler.Default),
                _ => repo.BeginOperationAsync($"base-{i / 3 % 6}", LifecycleCommand.Delete, StoreOperation.Delete, null, new ActivityDraft(AuditActions.DeleteRequested)).ContinueWith(t => (object)t.Result, TaskScheduler.Default),
            };
        });

        var applied = results.OfType<StoreChangeResult>().Count(r => r.Applied);
        Assert.Equal(6, applied);
        Assert.Equal(6L, h.Count("SELECT COUNT(*) FROM activity WHERE action IN ('upgrade.requested', 'delete.requested')"));
        Assert.Equal(h.Count("SELECT COUNT(*) FROM stores"), h.Count("SELECT COUNT(DISTINCT name) FROM stores"));
        Assert.Equal(0L, h.Count("SELECT COUNT(*) FROM (SELECT user_id FROM stores GROUP BY user_id HAVING COUNT(*) > 3) AS over_limit"));
        Assert.Equal(h.Count("SELECT COUNT(*) FROM stores"), h.Count("SELECT COUNT(*) FROM activity WHERE action = 'create.requested'"));
        h.AssertStatusCountsMatchRows();
    }

    // Transitions in opposite directions between the same two statuses (READY → PROVISIONING by an upgrade,
    // PROVISIONING → READY by a success; FAILED ↔ PROVISIONING likewise), creates and removals, all at once: each
    // updates the counts the database keeps by status, and none waits for another in a cycle (on PostgreSQL a deadlock
    // would fail one of them), so every change applies and the counts still agree with the rows.
    [Fact]
    public async Task Parallel_transitions_keep_the_status_counts_without_deadlock()
    {
        var ready = new List<Store>();
        var succeeding = new List<Store>();
        var failing = new List<Store>();
        var failed = new List<Store>();
        var deleting = new List<Store>();
        for (var i = 0; i < 8; i++)
        {
            ready.Add(await h.ReadyAsync($"ready-{i}", $"user-{i}"));
            succeeding.Add(await h.ProvisioningAsync($"succeeding-{i}", $"user-{i}"));
            failing.Add(await h.ProvisioningAsync($"failing-{i}", $"user-{i}"));
            failed.Add(await h.FailedAsync($"failed-{i}", $"user-{i}"));
            deleting.Add(await h.DeletingAsync($"deleting-{i}", $"user-{i}"));
        }

        var results = await RaceAsync(48, i =>
        {
            var repo = h.OpenAnother();
            var n = i / 6;
            return (i % 6) switch
            {
                0 => repo.BeginOperationAsync(ready[n].Name, LifecycleCommand.Upgrade, StoreOperation.Upgrade, null, new ActivityDraft(AuditActions.UpgradeRequested)).ContinueWith(t => t.Result.Applied, TaskScheduler.Default),
                1 => repo.SucceedAsync(succeeding[n].Name, succeeding[n].OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded)).ContinueWith(t => t.Result.Applied, TaskScheduler.Default),
                2 => repo.BeginOperationAsync(failed[n].Name, LifecycleCommand.Retry, StoreOperation.Retry, null, new ActivityDraft(AuditActions.RetryRequested)).ContinueWith(t => t.Result.Applied, TaskScheduler.Default),
                3 => repo.FailAsync(failing[n].Name, failing[n].OperationId, "helm install failed", new ActivityDraft(AuditActions.InstallFailed)).ContinueWith(t => t.Result.Applied, TaskScheduler.Default),
                4 => repo.RemoveAsync(deleting[n].Name, deleting[n].OperationId!, new ActivityDraft(AuditActions.StoreRemoved)),
                _ => repo.CreateAsync($"new-{n}", $"user-{n}", StoreEngine.WooCommerce, 10).ContinueWith(t => t.Result.Outcome == CreateOutcome.Created, TaskScheduler.Default),
            };
        });

        Assert.All(results, Assert.True);
        h.AssertStatusCountsMatchRows();
        Assert.Equal(16L, h.Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = 'PROVISIONING'"));
        Assert.Equal(8L, h.Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = 'READY'"));
        Assert.Equal(8L, h.Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = 'FAILED'"));
        Assert.Equal(0L, h.Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = 'DELETING'"));
        Assert.Equal(8L, h.Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = 'NEW'"));
    }

    // 20 writers × 25 parallel RecordAsync calls lose no audit row, and every row gets a unique, increasing id.
    [Fact]
    public async Task Parallel_records_lose_no_audit_rows()
    {
        await RaceAsync(Parallel, async i =>
        {
            var repo = h.OpenAnother();
            for (var n = 0; n < 25; n++)
            {
                await repo.RecordAsync($"store-{i % 5}", $"user-{i}", null, new ActivityDraft(AuditActions.Diagnostics, $"{i}:{n}"));
            }

            return true;
        });

        Assert.Equal(500L, h.Count("SELECT COUNT(*) FROM activity"));
        Assert.Equal(500L, h.Count("SELECT COUNT(DISTINCT detail) FROM activity"));
        var listed = await h.Queries.ListActivityAsync(500);
        Assert.Equal(500, listed.Select(a => a.Id).Distinct().Count());
        Assert.Equal(100, (await h.Queries.ListActivityAsync(500, "store-3")).Count);
    }
}
