using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Persistence;

public class StoreRepositoryTests : IDisposable
{
    private readonly RepositoryHarness h;

    public StoreRepositoryTests()
        : this(new RepositoryHarness())
    {
    }

    /// <summary>The same contract on another engine (see PostgresContractTests).</summary>
    protected StoreRepositoryTests(RepositoryHarness harness) => h = harness;

    private StoreRepository Repo => h.Repository;

    public void Dispose()
    {
        h.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<StoreChangeResult> Begin(string name, LifecycleCommand command, string? args = null)
    {
        var (operation, action) = command switch
        {
            LifecycleCommand.Upgrade => (StoreOperation.Upgrade, AuditActions.UpgradeRequested),
            LifecycleCommand.Rollback => (StoreOperation.Rollback, AuditActions.RollbackRequested),
            LifecycleCommand.Retry => (StoreOperation.Retry, AuditActions.RetryRequested),
            _ => (StoreOperation.Delete, AuditActions.DeleteRequested),
        };
        return Repo.BeginOperationAsync(name, command, operation, args, new ActivityDraft(action));
    }

    private List<string> Actions(string store) =>
        h.Queries.ListActivityAsync(500, store).Result.Select(a => a.Action).Reverse().ToList();

    // ---- create ----

    // A create inserts a NEW store (operation install, a fresh operation id, clock timestamps) and its create.requested row.
    [Fact]
    public async Task Create_inserts_new_store_and_audit_row()
    {
        var result = await Repo.CreateAsync("acme", "alice", StoreEngine.Medusa, 3);

        Assert.Equal(CreateOutcome.Created, result.Outcome);
        Assert.Equal(1, result.StoresOwned);
        var store = await Repo.GetAsync("acme");
        Assert.Equal(result.Store, store);
        Assert.Equal(StoreStatus.New, store!.Status);
        Assert.Equal(StoreOperation.Install, store.Operation);
        Assert.Equal(StoreEngine.Medusa, store.Engine);
        Assert.False(string.IsNullOrEmpty(store.OperationId));
        Assert.Null(store.Revision);
        Assert.Null(store.Error);
        Assert.Null(store.FailedOperation);
        Assert.Equal(h.Clock.GetUtcNow(), store.CreatedAt);
        Assert.Equal(h.Clock.GetUtcNow(), store.UpdatedAt);
        Assert.Equal(32, store.Id.Length);

        var audit = Assert.Single(await h.Queries.ListActivityAsync(50, "acme"));
        Assert.Equal(AuditActions.CreateRequested, audit.Action);
        Assert.Equal("alice", audit.UserId);
        Assert.Equal("engine medusa", audit.Detail);
        Assert.Equal(h.Clock.GetUtcNow(), audit.Timestamp);
    }

    // A missing store reads as null.
    [Fact]
    public async Task Get_missing_is_null() => Assert.Null(await Repo.GetAsync("nope"));

    // A second create of a taken name is refused as DuplicateName, whoever asks, and writes nothing.
    [Fact]
    public async Task Duplicate_name_is_refused_and_writes_nothing()
    {
        await h.CreateAsync("acme", "alice");
        var again = await Repo.CreateAsync("acme", "bob", StoreEngine.WooCommerce, 3);

        Assert.Equal(CreateOutcome.DuplicateName, again.Outcome);
        Assert.Null(again.Store);
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM stores"));
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM activity"));
        Assert.Equal("alice", (await Repo.GetAsync("acme"))!.UserId);
    }

    // The per-user limit admits exactly max stores; the next is LimitReached with the count owned; other users are unaffected.
    [Fact]
    public async Task Limit_is_per_user_and_exact()
    {
        for (var i = 0; i < 3; i++)
        {
            await h.CreateAsync($"alice-{i}", "alice");
        }

        var fourth = await Repo.CreateAsync("alice-3", "alice", StoreEngine.WooCommerce, 3);
        Assert.Equal(CreateOutcome.LimitReached, fourth.Outcome);
        Assert.Equal(3, fourth.StoresOwned);
        Assert.Null(await Repo.GetAsync("alice-3"));
        Assert.Equal(CreateOutcome.Created, (await Repo.CreateAsync("bob-0", "bob", StoreEngine.WooCommerce, 3)).Outcome);
    }

    // Stores in every status (NEW, PROVISIONING, READY, FAILED, DELETING) count toward the limit until removed.
    [Fact]
    public async Task Every_status_counts_toward_the_limit_until_removed()
    {
        await h.CreateAsync("s-new");
        await h.ProvisioningAsync("s-prov");
        await h.ReadyAsync("s-ready");
        await h.FailedAsync("s-failed");
        var deleting = await h.DeletingAsync("s-deleting");

        Assert.Equal(CreateOutcome.LimitReached, (await Repo.CreateAsync("s-six", "alice", StoreEngine.WooCommerce, 5)).Outcome);
        Assert.True(await Repo.RemoveAsync("s-deleting", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));
        Assert.Equal(CreateOutcome.Created, (await Repo.CreateAsync("s-six", "alice", StoreEngine.WooCommerce, 5)).Outcome);
    }

    // A taken name is reported as a duplicate even when the user is also at the limit (the more specific reason wins).
    [Fact]
    public async Task Duplicate_is_reported_before_limit()
    {
        await h.CreateAsync("acme", "alice", max: 1);
        Assert.Equal(CreateOutcome.DuplicateName, (await Repo.CreateAsync("acme", "alice", StoreEngine.WooCommerce, 1)).Outcome);
    }

    // Data written through one database object is there after reopening the file from scratch.
    [Fact]
    public async Task Reopening_the_file_keeps_stores_and_activity()
    {
        await h.ReadyAsync("acme", revision: 2);
        var reopened = h.OpenAnother();

        var store = await reopened.GetAsync("acme");
        Assert.Equal(StoreStatus.Ready, store!.Status);
        Assert.Equal(2, store.Revision);
        Assert.Equal(3, (await new StoreQueries(h.OpenAnotherDatabase()).ListActivityAsync(50, "acme")).Count);
    }

    // ---- install, succeed, fail ----

    // NEW → PROVISIONING (install.started) → READY at a revision (install.succeeded), each with its audit row.
    [Fact]
    public async Task Install_lifecycle()
    {
        var created = await h.CreateAsync("acme");
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var begun = await Repo.BeginInstallAsync("acme", created.OperationId!, new ActivityDraft(AuditActions.InstallStarted));
        Assert.Equal(StoreStatus.Provisioning, begun.Store!.Status);
        Assert.Equal(created.CreatedAt + TimeSpan.FromSeconds(5), begun.Store.UpdatedAt);
        Assert.Equal(created.CreatedAt, begun.Store.CreatedAt);

        var done = await Repo.SucceedAsync("acme", created.OperationId!, 1, new ActivityDraft(AuditActions.InstallSucceeded));
        Assert.True(done.Applied);
        Assert.Equal(StoreStatus.Ready, done.Store!.Status);
        Assert.Equal(1, done.Store.Revision);
        Assert.Equal(created.OperationId, done.Store.OperationId);
        Assert.Equal([AuditActions.CreateRequested, AuditActions.InstallStarted, AuditActions.InstallSucceeded], Actions("acme"));
    }

    // BeginInstall is only for the store's own operation id and only from NEW; a repeat is refused, not applied twice.
    [Fact]
    public async Task BeginInstall_is_fenced_and_once()
    {
        var created = await h.CreateAsync("acme");
        var wrong = await Repo.BeginInstallAsync("acme", "not-the-op", new ActivityDraft(AuditActions.InstallStarted));
        Assert.Equal(ChangeOutcome.Refused, wrong.Outcome);
        Assert.Equal(RefusalKind.Conflict, wrong.Refusal?.Kind);
        Assert.Equal(StoreStatus.New, (await Repo.GetAsync("acme"))!.Status);

        Assert.True((await Repo.BeginInstallAsync("acme", created.OperationId!, new ActivityDraft(AuditActions.InstallStarted))).Applied);
        var repeat = await Repo.BeginInstallAsync("acme", created.OperationId!, new ActivityDraft(AuditActions.InstallStarted));
        Assert.Equal(ChangeOutcome.Refused, repeat.Outcome);
        Assert.Equal(StoreStatus.Provisioning, repeat.Store!.Status);
        Assert.Equal(1, Actions("acme").Count(a => a == AuditActions.InstallStarted));
    }

    // An old operation id can record neither success nor failure once a newer operation has begun on the store.
    [Fact]
    public async Task Old_operation_cannot_record_after_newer_began()
    {
        var provisioning = await h.ProvisioningAsync("acme");
        var oldOp = provisioning.OperationId!;
        Assert.True((await Repo.FailAsync("acme", oldOp, "timed out", new ActivityDraft(AuditActions.InstallFailed))).Applied);
        var retry = await Begin("acme", LifecycleCommand.Retry);
        Assert.True(retry.Applied);
        var newOp = retry.Store!.OperationId!;
        Assert.NotEqual(oldOp, newOp);

        var lateSuccess = await Repo.SucceedAsync("acme", oldOp, 1, new ActivityDraft(AuditActions.InstallSucceeded));
        var lateFailure = await Repo.FailAsync("acme", oldOp, "late", new ActivityDraft(AuditActions.InstallFailed));
        Assert.Equal(ChangeOutcome.Refused, lateSuccess.Outcome);
        Assert.Equal(ChangeOutcome.Refused, lateFailure.Outcome);
        Assert.Contains("newer operation", lateSuccess.Reason);
        var store = await Repo.GetAsync("acme");
        Assert.Equal(StoreStatus.Provisioning, store!.Status);
        Assert.Equal(newOp, store.OperationId);
        Assert.Null(store.Error);

        Assert.True((await Repo.SucceedAsync("acme", newOp, 1, new ActivityDraft(AuditActions.InstallSucceeded))).Applied);
        Assert.Equal(1, Actions("acme").Count(a => a == AuditActions.InstallSucceeded));
        Assert.Equal(1, Actions("acme").Count(a => a == AuditActions.InstallFailed));
    }

    // The same fence holds for upgrades: a late failure of upgrade #1 cannot fail upgrade #2.
    [Fact]
    public async Task Late_failure_of_previous_upgrade_is_fenced()
    {
        await h.ReadyAsync("acme");
        var first = (await Begin("acme", LifecycleCommand.Upgrade)).Store!.OperationId!;
        Assert.True((await Repo.SucceedAsync("acme", first, 2, new ActivityDraft(AuditActions.UpgradeSucceeded))).Applied);
        var second = (await Begin("acme", LifecycleCommand.Upgrade)).Store!.OperationId!;

        var late = await Repo.FailAsync("acme", first, "late", new ActivityDraft(AuditActions.UpgradeFailed));
        Assert.Equal(ChangeOutcome.Refused, late.Outcome);
        Assert.Equal(second, (await Repo.GetAsync("acme"))!.OperationId);
        Assert.Equal(StoreStatus.Provisioning, (await Repo.GetAsync("acme"))!.Status);
    }

    // FailAsync records the error and remembers which operation failed (install, upgrade or rollback) for a retry.
    [Theory]
    [InlineData(LifecycleCommand.Upgrade, StoreOperation.Upgrade)]
    [InlineData(LifecycleCommand.Rollback, StoreOperation.Rollback)]
    public async Task Fail_remembers_failed_operation(LifecycleCommand command, StoreOperation expected)
    {
        await h.ReadyAsync("acme", revision: 3);
        var op = (await Begin("acme", command)).Store!.OperationId!;
        var failed = await Repo.FailAsync("acme", op, "helm said no", new ActivityDraft(AuditActions.UpgradeFailed), revision: 4);

        Assert.True(failed.Applied);
        Assert.Equal(StoreStatus.Failed, failed.Store!.Status);
        Assert.Equal(expected, failed.Store.FailedOperation);
        Assert.Equal("helm said no", failed.Store.Error);
        Assert.Equal(4, failed.Store.Revision);
    }

    // A failed install is remembered as install; a revision given as null keeps the recorded one.
    [Fact]
    public async Task Failed_install_is_remembered_and_revision_kept()
    {
        var failed = await h.FailedAsync("acme");
        Assert.Equal(StoreOperation.Install, failed.FailedOperation);
        Assert.Null(failed.Revision);
        Assert.Equal("helm install failed", failed.Error);
    }

    // A failed retry keeps the ORIGINAL failed operation, so the next retry re-runs the same thing (here: the upgrade).
    [Fact]
    public async Task Failed_retry_keeps_original_failed_operation()
    {
        await h.ReadyAsync("acme");
        var upgrade = (await Begin("acme", LifecycleCommand.Upgrade, """{"values":{"replicas":2}}""")).Store!.OperationId!;
        await Repo.FailAsync("acme", upgrade, "first", new ActivityDraft(AuditActions.UpgradeFailed));

        for (var i = 0; i < 2; i++)
        {
            var retry = await Begin("acme", LifecycleCommand.Retry);
            Assert.Equal(StoreOperation.Retry, retry.Store!.Operation);
            Assert.Equal("""{"values":{"replicas":2}}""", retry.Store.OperationArgs);
            Assert.Null(retry.Store.Error);
            var failed = await Repo.FailAsync("acme", retry.Store.OperationId, $"retry {i}", new ActivityDraft(AuditActions.UpgradeFailed));
            Assert.Equal(StoreOperation.Upgrade, failed.Store!.FailedOperation);
            Assert.Equal($"retry {i}", failed.Store.Error);
        }
    }

    // Without an operation id, FlagDrift applies only to READY stores and Fail only to in-flight ones.
    [Fact]
    public async Task Unfenced_fail_and_drift_apply_only_where_the_table_allows()
    {
        await h.ReadyAsync("ready-one");
        await h.FailedAsync("failed-one");
        await h.DeletingAsync("deleting-one");

        Assert.Equal(ChangeOutcome.Refused, (await Repo.FailAsync("ready-one", null, "x", new ActivityDraft(AuditActions.InstallFailed))).Outcome);
        Assert.True((await Repo.FlagDriftAsync("ready-one", null, "release missing", new ActivityDraft(AuditActions.ReconcileDrift))).Applied);
        Assert.Equal(ChangeOutcome.Refused, (await Repo.FlagDriftAsync("failed-one", null, "x", new ActivityDraft(AuditActions.ReconcileDrift))).Outcome);
        Assert.Equal(ChangeOutcome.Refused, (await Repo.FlagDriftAsync("deleting-one", null, "x", new ActivityDraft(AuditActions.ReconcileDrift))).Outcome);
        Assert.Equal(StoreStatus.Deleting, (await Repo.GetAsync("deleting-one"))!.Status);
    }

    // A late failure report of an operation that already SUCCEEDED does not undo READY (a step whose deadline fired
    // while it was still queued, and which then deployed the release).
    [Fact]
    public async Task Late_fail_of_a_succeeded_operation_leaves_the_store_ready()
    {
        var ready = await h.ReadyAsync("acme");
        var late = await Repo.FailAsync("acme", ready.OperationId, "timed out", new ActivityDraft(AuditActions.OperationTimedOut));
        Assert.Equal(ChangeOutcome.Refused, late.Outcome);
        Assert.Equal(StoreStatus.Ready, (await Repo.GetAsync("acme"))!.Status);
    }

    // The reconciler flags drift fenced by the operation id it observed: the failed operation is remembered for a retry.
    [Fact]
    public async Task Drift_on_a_ready_store_remembers_its_last_operation()
    {
        var ready = await h.ReadyAsync("acme");
        var drift = await Repo.FlagDriftAsync("acme", ready.OperationId, "release missing", new ActivityDraft(AuditActions.ReconcileDrift));
        Assert.True(drift.Applied);
        Assert.Equal(StoreStatus.Failed, drift.Store!.Status);
        Assert.Equal(StoreOperation.Install, drift.Store.FailedOperation);
    }

    // ---- operator operations ----

    // Each operator command moves an eligible store, sets the operation, a new operation id, clears the error and audits.
    [Theory]
    [InlineData(LifecycleCommand.Upgrade, StoreStatus.Provisioning, StoreOperation.Upgrade, AuditActions.UpgradeRequested)]
    [InlineData(LifecycleCommand.Rollback, StoreStatus.Provisioning, StoreOperation.Rollback, AuditActions.RollbackRequested)]
    [InlineData(LifecycleCommand.Retry, StoreStatus.Provisioning, StoreOperation.Retry, AuditActions.RetryRequested)]
    [InlineData(LifecycleCommand.Delete, StoreStatus.Deleting, StoreOperation.Delete, AuditActions.DeleteRequested)]
    public async Task Begin_operation_from_failed(LifecycleCommand command, StoreStatus to, StoreOperation operation, string action)
    {
        var failed = await h.FailedAsync("acme");
        var result = await Begin("acme", command);

        Assert.True(result.Applied);
        Assert.Equal(to, result.Store!.Status);
        Assert.Equal(operation, result.Store.Operation);
        Assert.NotEqual(failed.OperationId, result.Store.OperationId);
        Assert.Null(result.Store.Error);
        Assert.Equal(StoreOperation.Install, result.Store.FailedOperation);
        Assert.Equal(action, Actions("acme").Last());
    }

    // Refused commands say why (Invalid for retry, Conflict otherwise), change nothing and write no audit row.
    [Theory]
    [InlineData("ready", LifecycleCommand.Retry, RefusalKind.Invalid)]
    [InlineData("new", LifecycleCommand.Retry, RefusalKind.Invalid)]
    [InlineData("provisioning", LifecycleCommand.Upgrade, RefusalKind.Conflict)]
    [InlineData("provisioning", LifecycleCommand.Rollback, RefusalKind.Conflict)]
    [InlineData("provisioning", LifecycleCommand.Delete, RefusalKind.Conflict)]
    [InlineData("deleting", LifecycleCommand.Delete, RefusalKind.Conflict)]
    [InlineData("deleting", LifecycleCommand.Upgrade, RefusalKind.Conflict)]
    [InlineData("new", LifecycleCommand.Upgrade, RefusalKind.Conflict)]
    public async Task Refused_commands_change_nothing(string state, LifecycleCommand command, RefusalKind kind)
    {
        var before = state switch
        {
            "new" => await h.CreateAsync("acme"),
            "provisioning" => await h.ProvisioningAsync("acme"),
            "ready" => await h.ReadyAsync("acme"),
            _ => await h.DeletingAsync("acme"),
        };
        var rows = h.Count("SELECT COUNT(*) FROM activity");
        h.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Begin("acme", command);

        Assert.Equal(ChangeOutcome.Refused, result.Outcome);
        Assert.Equal(kind, result.Refusal?.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Equal(before, await Repo.GetAsync("acme"));
        Assert.Equal(rows, h.Count("SELECT COUNT(*) FROM activity"));
    }

    // Any change to a store that does not exist is NotFound.
    [Fact]
    public async Task Changes_to_missing_store_are_not_found()
    {
        Assert.Equal(ChangeOutcome.NotFound, (await Begin("ghost", LifecycleCommand.Upgrade)).Outcome);
        Assert.Equal(ChangeOutcome.NotFound, (await Repo.SucceedAsync("ghost", "op", 1, new ActivityDraft(AuditActions.InstallSucceeded))).Outcome);
        Assert.Equal(ChangeOutcome.NotFound, (await Repo.FailAsync("ghost", null, "x", new ActivityDraft(AuditActions.InstallFailed))).Outcome);
        Assert.Equal(0L, h.Count("SELECT COUNT(*) FROM activity"));
    }

    // Operation args are stored by upgrade/rollback and kept (not wiped) by retry and delete, which pass none.
    [Fact]
    public async Task Operation_args_are_kept_for_retry()
    {
        await h.ReadyAsync("acme");
        var op = (await Begin("acme", LifecycleCommand.Rollback, """{"revision":1}""")).Store!.OperationId!;
        await Repo.FailAsync("acme", op, "x", new ActivityDraft(AuditActions.RollbackFailed));

        Assert.Equal("""{"revision":1}""", (await Begin("acme", LifecycleCommand.Retry)).Store!.OperationArgs);
    }

    // ---- remove ----

    // RemoveAsync deletes the row only for a DELETING store and its current delete operation id.
    [Fact]
    public async Task Remove_only_deleting_with_matching_operation()
    {
        var ready = await h.ReadyAsync("ready-one");
        Assert.False(await Repo.RemoveAsync("ready-one", ready.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));
        Assert.False(await Repo.RemoveAsync("ghost", "op", new ActivityDraft(AuditActions.StoreRemoved)));

        var deleting = await h.DeletingAsync("acme");
        Assert.False(await Repo.RemoveAsync("acme", ready.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));
        Assert.NotNull(await Repo.GetAsync("acme"));

        Assert.True(await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved, "partial: namespace stuck")));
        Assert.Null(await Repo.GetAsync("acme"));
        Assert.False(await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved)));
        Assert.NotNull(await Repo.GetAsync("ready-one"));
    }

    // A removed store's activity rows stay queryable (history outlives the store), ending with store.removed.
    [Fact]
    public async Task Activity_outlives_the_store()
    {
        var deleting = await h.DeletingAsync("acme");
        await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved));
        await Repo.RecordAsync("acme", "alice", deleting.OperationId, new ActivityDraft(AuditActions.NamespaceDeleted, "late note"));

        Assert.Equal(
            [AuditActions.CreateRequested, AuditActions.InstallStarted, AuditActions.InstallSucceeded, AuditActions.DeleteRequested, AuditActions.StoreRemoved, AuditActions.NamespaceDeleted],
            Actions("acme"));
        Assert.All(await h.Queries.ListActivityAsync(50, "acme"), a => Assert.Equal("alice", a.UserId));
    }

    // ---- list ----

    // ListAsync returns newest first, and filters by user, by status, and by both.
    [Fact]
    public async Task List_newest_first_and_filters()
    {
        await h.CreateAsync("a-one", "alice");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.ReadyAsync("b-one", "bob");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.ReadyAsync("a-two", "alice");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.FailedAsync("b-two", "bob");

        Assert.Equal(["b-two", "a-two", "b-one", "a-one"], (await h.Queries.ListAsync()).Select(s => s.Name));
        Assert.Equal(["a-two", "a-one"], (await h.Queries.ListAsync(userId: "alice")).Select(s => s.Name));
        Assert.Equal(["a-two", "b-one"], (await h.Queries.ListAsync(status: StoreStatus.Ready)).Select(s => s.Name));
        Assert.Equal(["b-one"], (await h.Queries.ListAsync("bob", StoreStatus.Ready)).Select(s => s.Name));
        Assert.Empty(await h.Queries.ListAsync("carol"));
        Assert.Empty(await h.Queries.ListAsync(status: StoreStatus.Deleting));
    }

    // Stores created in the same millisecond still list newest (last inserted) first.
    [Fact]
    public async Task List_breaks_time_ties_by_insertion()
    {
        foreach (var name in new[] { "s-one", "s-two", "s-three" })
        {
            await h.CreateAsync(name, max: 10);
        }

        Assert.Equal(["s-three", "s-two", "s-one"], (await h.Queries.ListAsync()).Select(s => s.Name));
    }

    // ---- activity ----

    // ListActivityAsync is newest first, honours the limit, filters by store and carries user, time and detail.
    [Fact]
    public async Task Activity_newest_first_limit_and_store_filter()
    {
        await h.CreateAsync("acme");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.CreateAsync("other", "bob");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await Repo.RecordAsync("acme", null, null, new ActivityDraft(AuditActions.Diagnostics, "ImagePullBackOff"));

        var all = await h.Queries.ListActivityAsync(50);
        Assert.Equal(3, all.Count);
        Assert.Equal(all.OrderByDescending(a => a.Id).Select(a => a.Id), all.Select(a => a.Id));
        Assert.Equal(AuditActions.Diagnostics, all[0].Action);
        Assert.Null(all[0].UserId);
        Assert.Equal("ImagePullBackOff", all[0].Detail);
        Assert.Equal(h.Clock.GetUtcNow(), all[0].Timestamp);

        Assert.Single(await h.Queries.ListActivityAsync(1));
        Assert.Equal(AuditActions.Diagnostics, (await h.Queries.ListActivityAsync(1)).Single().Action);
        Assert.Equal(["other"], (await h.Queries.ListActivityAsync(50, "other")).Select(a => a.StoreName));
        Assert.Equal(2, (await h.Queries.ListActivityAsync(50, "acme")).Count);
        Assert.Empty(await h.Queries.ListActivityAsync(50, "ghost"));
    }

    // Audit rows carry the W3C trace id of the span they were written in (an operation's step, a request), transitions
    // and notes alike; a row written outside any span has none.
    [Fact]
    public async Task Activity_rows_carry_the_trace_id_of_the_current_span()
    {
        var ready = await h.ReadyAsync("acme");
        string traceId;
        using (var span = new System.Diagnostics.Activity("step").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            traceId = span.TraceId.ToHexString();
            await Begin("acme", LifecycleCommand.Upgrade);
            await Repo.RecordAsync("acme", "alice", ready.OperationId, new ActivityDraft(AuditActions.Diagnostics, "traced"));
        }

        await Repo.RecordAsync("acme", "alice", null, new ActivityDraft(AuditActions.Diagnostics, "untraced"));

        var rows = await h.Queries.ListActivityAsync(3, "acme");
        Assert.Equal(["untraced", "traced"], rows.Take(2).Select(r => r.Detail));
        Assert.Null(rows[0].TraceId);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, rows[1].TraceId);
        Assert.Equal(AuditActions.UpgradeRequested, rows[2].Action);
        Assert.Equal(traceId, rows[2].TraceId);
    }

    // A row written outside its operation's trace (a webhook delivery) takes the operation's trace id, found from the
    // operation's own rows; an explicit trace id wins over the current span's.
    [Fact]
    public async Task A_row_can_join_its_operations_trace_from_outside_it()
    {
        await h.ReadyAsync("acme");
        string traceId;
        using (var span = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            traceId = span.TraceId.ToHexString();
            await Begin("acme", LifecycleCommand.Upgrade);
        }

        var upgrade = (await Repo.GetAsync("acme"))!.OperationId!;
        Assert.Equal(traceId, await h.Queries.TraceIdOfOperationAsync("acme", upgrade));
        Assert.Null(await h.Queries.TraceIdOfOperationAsync("acme", "no-such-operation"));

        using (new System.Diagnostics.Activity("elsewhere").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            await Repo.RecordAsync("acme", "alice", upgrade, new ActivityDraft(AuditActions.WebhookDelivered, "joined") { TraceId = traceId });
        }

        Assert.Equal(traceId, (await h.Queries.ListActivityAsync(1, "acme")).Single().TraceId);
    }

    // Activity rows carry the operation id and duration they were recorded with.
    [Fact]
    public async Task Activity_rows_carry_operation_id_and_duration()
    {
        var ready = await h.ReadyAsync("acme");
        Assert.Equal(42000L, h.Count("SELECT duration_ms FROM activity WHERE action = $a", ("$a", AuditActions.InstallSucceeded)));
        Assert.Equal(ready.OperationId, h.Scalar("SELECT operation_id FROM activity WHERE action = $a", ("$a", AuditActions.InstallSucceeded)));
    }

    // ---- metrics ----

    // Metrics count stores by status (zero for absent statuses), accepted requests from the audit log, and the mean install time.
    [Fact]
    public async Task Metrics_counts()
    {
        var empty = await h.Queries.MetricsAsync();
        Assert.All(Enum.GetValues<StoreStatus>(), s => Assert.Equal(0, empty.ByStatus[s]));
        Assert.Null(empty.AverageInstallSeconds);
        Assert.Equal(0, empty.Requests(AuditActions.UpgradeRequested));

        await h.CreateAsync("s-new", max: 10);
        await h.ProvisioningAsync("s-prov");
        await h.ReadyAsync("s-ready");
        await h.FailedAsync("s-failed");
        await h.DeletingAsync("s-deleting");
        var upgraded = (await Begin("s-ready", LifecycleCommand.Upgrade)).Store!;
        await Repo.FailAsync("s-ready", upgraded.OperationId, "x", new ActivityDraft(AuditActions.UpgradeFailed));
        await Begin("s-ready", LifecycleCommand.Retry);
        await Repo.RecordAsync("s-ready", "alice", null, new ActivityDraft(AuditActions.InstallSucceeded, null, TimeSpan.FromSeconds(18)));

        var metrics = await h.Queries.MetricsAsync();
        Assert.Equal(1, metrics.ByStatus[StoreStatus.New]);
        Assert.Equal(2, metrics.ByStatus[StoreStatus.Provisioning]);
        Assert.Equal(0, metrics.ByStatus[StoreStatus.Ready]);
        Assert.Equal(1, metrics.ByStatus[StoreStatus.Failed]);
        Assert.Equal(1, metrics.ByStatus[StoreStatus.Deleting]);
        Assert.Equal(5, metrics.Requests(AuditActions.CreateRequested));
        Assert.Equal(1, metrics.Requests(AuditActions.UpgradeRequested));
        Assert.Equal(1, metrics.Requests(AuditActions.RetryRequested));
        Assert.Equal(1, metrics.Requests(AuditActions.DeleteRequested));
        Assert.Equal(0, metrics.Requests(AuditActions.RollbackRequested));
        Assert.DoesNotContain(metrics.RequestsByAction.Keys, k => !k.EndsWith(".requested", StringComparison.Ordinal));
        Assert.Equal(((42.0 * 2) + 18.0) / 3, metrics.AverageInstallSeconds!.Value, 3);
    }

    // Request counts are cumulative: they stay after the store itself is removed.
    [Fact]
    public async Task Metrics_requests_survive_removal()
    {
        await h.ReadyAsync("acme");
        var upgraded = (await Begin("acme", LifecycleCommand.Upgrade)).Store!;
        await Repo.SucceedAsync("acme", upgraded.OperationId!, 2, new ActivityDraft(AuditActions.UpgradeSucceeded));
        var deleting = (await Begin("acme", LifecycleCommand.Delete)).Store!;
        await Repo.RemoveAsync("acme", deleting.OperationId!, new ActivityDraft(AuditActions.StoreRemoved));

        var metrics = await h.Queries.MetricsAsync();
        Assert.Equal(1, metrics.Requests(AuditActions.UpgradeRequested));
        Assert.All(metrics.ByStatus.Values, n => Assert.Equal(0, n));
    }

    // ---- paging ----

    // Pages of the store list cover every store exactly once, newest first, also when many share one created_at
    // (the insertion order breaks ties); the last page has no next cursor.
    [Fact]
    public async Task Pages_cover_every_store_once_in_order()
    {
        for (var i = 0; i < 7; i++)
        {
            await h.CreateAsync($"s-{i}", i % 2 == 0 ? "alice" : "bob");
            if (i % 3 == 2)
            {
                h.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var all = await h.Queries.ListAsync();
        Assert.Equal(["s-6", "s-5", "s-4", "s-3", "s-2", "s-1", "s-0"], all.Select(s => s.Name));

        var seen = new List<string>();
        StoreCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await h.Queries.ListPageAsync(null, null, 3, cursor);
            Assert.True(page.Stores.Count is > 0 and <= 3);
            seen.AddRange(page.Stores.Select(s => s.Name));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(all.Select(s => s.Name), seen);
        Assert.Equal(3, pages);

        var alices = await h.Queries.ListPageAsync("alice", null, 2, null);
        Assert.Equal(["s-6", "s-4"], alices.Stores.Select(s => s.Name));
        var rest = await h.Queries.ListPageAsync("alice", null, 2, alices.Next);
        Assert.Equal(["s-2", "s-0"], rest.Stores.Select(s => s.Name));
        Assert.Null(rest.Next);
    }

    // A page exactly as long as what is left has no next cursor (no empty last page to fetch).
    [Fact]
    public async Task An_exactly_full_last_page_has_no_next()
    {
        await h.CreateAsync("s-a");
        await h.CreateAsync("s-b");
        var page = await h.Queries.ListPageAsync(null, null, 2, null);
        Assert.Equal(2, page.Stores.Count);
        Assert.Null(page.Next);
    }

    // ---- retention and counters ----

    // Pruning audit rows older than the cutoff removes only those, and the metrics (cumulative requests, average install
    // time) stay exactly as they were: they come from counters written with each audited change, not from the rows.
    [Fact]
    public async Task Metrics_are_unchanged_after_pruning_the_audit()
    {
        await h.ReadyAsync("old-1");
        await h.ReadyAsync("old-2", "bob");
        await Begin("old-1", LifecycleCommand.Delete);
        h.Clock.Advance(TimeSpan.FromDays(100));
        await h.CreateAsync("new-1");
        var before = await h.Queries.MetricsAsync();
        var beforeAlice = await h.Queries.MetricsAsync(ownerUserId: "alice");
        var rows = h.Count("SELECT COUNT(*) FROM activity");

        var pruned = await Repo.PruneAuditAsync(h.Clock.GetUtcNow().AddDays(-90), batchSize: 2);

        Assert.Equal(rows - 1, pruned);
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM activity"));
        Assert.Equal("new-1", Assert.Single(await h.Queries.ListActivityAsync(50)).StoreName);
        var after = await h.Queries.MetricsAsync();
        Assert.Equal(before.ByStatus, after.ByStatus);
        Assert.Equal(before.RequestsByAction, after.RequestsByAction);
        Assert.Equal(before.AverageInstallSeconds, after.AverageInstallSeconds);
        Assert.Equal(3, after.Requests(AuditActions.CreateRequested));
        Assert.Equal(1, after.Requests(AuditActions.DeleteRequested));
        Assert.Equal(42.0, after.AverageInstallSeconds);
        var afterAlice = await h.Queries.MetricsAsync(ownerUserId: "alice");
        Assert.Equal(beforeAlice.RequestsByAction, afterAlice.RequestsByAction);
        Assert.Equal(2, afterAlice.Requests(AuditActions.CreateRequested));
    }

    // Nothing younger than the cutoff is pruned.
    [Fact]
    public async Task Pruning_keeps_rows_newer_than_the_cutoff()
    {
        await h.ReadyAsync("acme");
        var rows = h.Count("SELECT COUNT(*) FROM activity");
        Assert.Equal(0, await Repo.PruneAuditAsync(h.Clock.GetUtcNow().AddDays(-90)));
        Assert.Equal(rows, h.Count("SELECT COUNT(*) FROM activity"));
    }
}
