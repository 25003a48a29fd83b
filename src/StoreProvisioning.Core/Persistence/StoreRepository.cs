using System.Data.Common;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>
/// Stores and their audit trail in the metadata database (SQLite or PostgreSQL). Every status change is a conditional UPDATE built from
/// <see cref="LifecycleTransitions"/> and committed together with its audit row, so a store can never be in two
/// operations at once and no step goes unrecorded. The write that ends an operation (READY, FAILED, cancelled, row
/// removed) also writes its <see cref="OperationRun"/>, and <paramref name="runObserver"/> is told once it is committed.
/// </summary>
public class StoreRepository(MetadataDatabase database, TimeProvider clock, IOperationRunObserver? runObserver = null)
{
    internal const string Columns =
        "id, name, user_id, engine, status, operation, operation_id, failed_operation, operation_args, revision, error, created_at, updated_at, plan";

    /// <summary>
    /// Checks the guardrails (unique name, per-user limit, total limit) and inserts the NEW row in one transaction.
    /// </summary>
    /// <param name="actor">Who asked (recorded on the audit row); null for the owner themself.</param>
    /// <param name="plan">The catalog plan the store starts on.</param>
    public async Task<CreateStoreResult> CreateAsync(
        string name, string userId, StoreEngine engine, int maxStoresPerUser, CancellationToken cancellationToken = default, int maxStoresTotal = int.MaxValue, string? actor = null, string plan = "small")
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await database.LockCreatesAsync(connection, cancellationToken).ConfigureAwait(false);

        var owned = Convert.ToInt32(await Sql.ScalarAsync(connection, "SELECT COUNT(*) FROM stores WHERE user_id = @user", cancellationToken, ("@user", userId)).ConfigureAwait(false));
        if (await Sql.ScalarAsync(connection, "SELECT 1 FROM stores WHERE name = @name", cancellationToken, ("@name", name)).ConfigureAwait(false) is not null)
        {
            return new CreateStoreResult(CreateOutcome.DuplicateName, null, owned);
        }

        if (owned >= maxStoresPerUser)
        {
            return new CreateStoreResult(CreateOutcome.LimitReached, null, owned);
        }

        if (maxStoresTotal < int.MaxValue
            && Convert.ToInt32(await Sql.ScalarAsync(connection, "SELECT COALESCE(SUM(count), 0) FROM store_status_counts", cancellationToken).ConfigureAwait(false)) >= maxStoresTotal)
        {
            return new CreateStoreResult(CreateOutcome.TotalLimitReached, null, owned);
        }

        var now = clock.GetUtcNow();
        var store = new Store
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = name,
            UserId = userId,
            Engine = engine,
            Status = StoreStatus.New,
            Operation = StoreOperation.Install,
            OperationId = NewOperationId(),
            Plan = plan,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await Sql.ExecuteAsync(
            connection,
            $"INSERT INTO stores ({Columns}, operation_started_at) VALUES (@id, @name, @user, @engine, @status, @operation, @operation_id, NULL, NULL, NULL, NULL, @now, @now, @plan, @now)",
            cancellationToken,
            ("@id", store.Id), ("@name", name), ("@user", userId), ("@engine", engine.Name()), ("@status", store.Status.Name()),
            ("@operation", store.Operation.Value.Name()), ("@operation_id", store.OperationId), ("@now", now.ToUnixTimeMilliseconds()), ("@plan", plan)).ConfigureAwait(false);
        await InsertActivityAsync(connection, store, new ActivityDraft(AuditActions.CreateRequested, $"engine {engine.Name()}") { Actor = actor ?? userId }, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreateStoreResult(CreateOutcome.Created, store, owned + 1);
    }

    /// <summary>As above, on the given plan, for the owner themself with no total limit.</summary>
    public Task<CreateStoreResult> CreateAsync(string name, string userId, StoreEngine engine, string plan, int maxStoresPerUser, CancellationToken cancellationToken = default) =>
        CreateAsync(name, userId, engine, maxStoresPerUser, cancellationToken, plan: plan);

    public async Task<Store?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts an operator's operation (upgrade, rollback, retry, delete) if the transition table allows it from the
    /// store's current status. A new operation id fences off every older step of this store.
    /// </summary>
    /// <param name="args">Non-secret arguments to remember for a retry; null keeps the ones recorded (a retry repeats them).</param>
    /// <param name="plan">The plan the operation moves the store to (an upgrade's <c>plan</c>); null keeps it.</param>
    public Task<StoreChangeResult> BeginOperationAsync(
        string name, LifecycleCommand command, StoreOperation operation, string? args, ActivityDraft audit, CancellationToken cancellationToken = default, string? plan = null) =>
        BeginOperationAsync(name, command, operation, args, guard: null, [], audit, cancellationToken, plan);

    /// <summary>
    /// Starts a rollback if the transition table allows it and <see cref="RollbackRule"/> finds an earlier revision
    /// than the recorded one (or than <paramref name="requested"/>): both are conditions of the same UPDATE.
    /// </summary>
    public Task<StoreChangeResult> BeginRollbackAsync(string name, int? requested, string args, ActivityDraft audit, CancellationToken cancellationToken = default) =>
        BeginOperationAsync(
            name, LifecycleCommand.Rollback, StoreOperation.Rollback, args,
            new Guard(RollbackRule.SqlCondition, store => RollbackRule.Check(store.Name, store.Revision, requested)),
            [("@requested", requested)],
            audit,
            cancellationToken);

    private Task<StoreChangeResult> BeginOperationAsync(
        string name, LifecycleCommand command, StoreOperation operation, string? args, Guard? guard, (string Name, object? Value)[] guardParameters, ActivityDraft audit, CancellationToken cancellationToken, string? plan = null) =>
        ChangeAsync(
            name,
            command,
            expectedOperationId: null,
            set: "operation = @operation, operation_id = @new_operation_id, operation_started_at = @now, error = NULL, operation_args = COALESCE(@args, operation_args), plan = COALESCE(@plan, plan)",
            parameters: [("@operation", operation.Name()), ("@new_operation_id", NewOperationId()), ("@args", args), ("@plan", plan), .. guardParameters],
            audit,
            cancellationToken,
            guard);

    /// <summary>NEW → PROVISIONING when the install's first cluster step starts. Idempotent for the same operation.</summary>
    public Task<StoreChangeResult> BeginInstallAsync(string name, string operationId, ActivityDraft audit, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, LifecycleCommand.BeginInstall, operationId, set: null, parameters: [], audit, cancellationToken);

    /// <summary>PROVISIONING → READY at the given helm revision, only for the operation that is still in flight.</summary>
    public Task<StoreChangeResult> SucceedAsync(string name, string operationId, int revision, ActivityDraft audit, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, LifecycleCommand.Succeed, operationId, "revision = @revision, error = NULL", [("@revision", revision)], audit, cancellationToken, finishes: OperationResult.Succeeded);

    /// <summary>
    /// → FAILED with a reason a person can act on. With an operation id, only if that operation is still the store's;
    /// the failed operation is remembered so a retry re-runs it.
    /// </summary>
    public Task<StoreChangeResult> FailAsync(string name, string? operationId, string error, ActivityDraft audit, int? revision = null, CancellationToken cancellationToken = default) =>
        FailAsync(LifecycleCommand.Fail, name, operationId, error, audit, revision, cancellationToken);

    /// <summary>READY → FAILED when the reconciler finds the release missing or broken; fenced by the operation id it observed.</summary>
    public Task<StoreChangeResult> FlagDriftAsync(string name, string? operationId, string error, ActivityDraft audit, CancellationToken cancellationToken = default) =>
        FailAsync(LifecycleCommand.FlagDrift, name, operationId, error, audit, null, cancellationToken);

    /// <summary>
    /// NEW/PROVISIONING/DELETING → FAILED when an operator cancels the operation in flight, only if that operation
    /// (<paramref name="operationId"/>) is still the store's. A fresh operation id fences off every step of the
    /// cancelled operation, so nothing it reports later (success, failure, removal of the row) is recorded.
    /// </summary>
    public Task<StoreChangeResult> CancelAsync(string name, string operationId, string error, ActivityDraft audit, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            name,
            LifecycleCommand.Cancel,
            operationId,
            "error = @error, operation_id = @new_operation_id, " + FailedOperation,
            [("@error", error), ("@new_operation_id", NewOperationId()), ("@retry", StoreOperation.Retry.Name())],
            audit,
            cancellationToken,
            finishes: OperationResult.Cancelled);

    // What a retry re-runs is decided here, once: the failing (or cancelled) operation, or for a failed retry what it re-ran.
    private const string FailedOperation = "failed_operation = CASE WHEN operation = @retry THEN failed_operation ELSE operation END";

    private Task<StoreChangeResult> FailAsync(
        LifecycleCommand command, string name, string? operationId, string error, ActivityDraft audit, int? revision, CancellationToken cancellationToken) =>
        ChangeAsync(
            name,
            command,
            operationId,
            "error = @error, revision = COALESCE(@revision, revision), " + FailedOperation,
            [("@error", error), ("@revision", revision), ("@retry", StoreOperation.Retry.Name())],
            audit,
            cancellationToken,
            // A READY store flagged by the reconciler had no operation in flight: nothing finishes.
            finishes: command == LifecycleCommand.Fail ? OperationResult.Failed : null);

    /// <summary>
    /// Keeps a DELETING store's row as a tombstone with the reason its namespace is not gone yet, only for the delete
    /// still in flight. The name stays taken (and the row visible) until a later delete confirms the namespace is gone.
    /// </summary>
    public async Task<bool> HoldDeletingAsync(string name, string operationId, string reason, ActivityDraft audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var changed = await Sql.ExecuteAsync(
            connection,
            "UPDATE stores SET error = @error, updated_at = @now WHERE name = @name AND status = 'DELETING' AND operation_id = @operation_id",
            cancellationToken,
            ("@error", reason), ("@now", now.ToUnixTimeMilliseconds()), ("@name", name), ("@operation_id", operationId)).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        var store = (await GetAsync(connection, name, cancellationToken).ConfigureAwait(false))!;
        await InsertActivityAsync(connection, store, audit, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes a DELETING store's row once cleanup has ended, only for the delete that is still in flight.</summary>
    public async Task<bool> RemoveAsync(string name, string operationId, ActivityDraft audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var store = await GetAsync(connection, name, cancellationToken).ConfigureAwait(false);
        if (store is null || store.Status != StoreStatus.Deleting || store.OperationId != operationId)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var run = await InsertRunAsync(connection, name, operationId, OperationResult.Succeeded, now, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, "DELETE FROM stores WHERE name = @name AND operation_id = @operation_id", cancellationToken, ("@name", name), ("@operation_id", operationId)).ConfigureAwait(false);
        await InsertActivityAsync(connection, store, audit, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Tell(run);
        return true;
    }

    /// <summary>Appends an audit row for a store (which may already be gone: history outlives its store).</summary>
    public async Task RecordAsync(string storeName, string? userId, string? operationId, ActivityDraft audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await InsertActivityAsync(connection, storeName, userId, operationId, audit, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes audit rows older than <paramref name="cutoff"/> (AUDIT_RETENTION_DAYS), a batch at a time so no single
    /// transaction holds the write lock for long. The cumulative counters are not touched. Returns how many went.
    /// </summary>
    public async Task<int> PruneAuditAsync(DateTimeOffset cutoff, int batchSize = 5000, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await Sql.ExecuteAsync(
                connection,
                "DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE timestamp < @cutoff ORDER BY id LIMIT @batch)",
                cancellationToken,
                ("@cutoff", cutoff.ToUnixTimeMilliseconds()), ("@batch", batchSize)).ConfigureAwait(false);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    private async Task<StoreChangeResult> ChangeAsync(
        string name,
        LifecycleCommand command,
        string? expectedOperationId,
        string? set,
        (string Name, object? Value)[] parameters,
        ActivityDraft audit,
        CancellationToken cancellationToken,
        Guard? guard = null,
        OperationResult? finishes = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var sources = LifecycleTransitions.SourcesFor(command);
        var target = LifecycleTransitions.Decide(sources[0], command).To!.Value;
        var statusList = string.Join(", ", sources.Select((_, i) => $"@from{i}"));
        var now = clock.GetUtcNow();

        var sql = $"""
            UPDATE stores SET status = @to, updated_at = @now{(set is null ? string.Empty : ", " + set)}
            WHERE name = @name AND status IN ({statusList}) AND (CAST(@expected AS TEXT) IS NULL OR operation_id = @expected){(guard is null ? string.Empty : " AND " + guard.Sql)}
            """;
        var all = new List<(string, object?)>
        {
            ("@to", target.Name()), ("@now", now.ToUnixTimeMilliseconds()), ("@name", name), ("@expected", expectedOperationId),
        };
        all.AddRange(sources.Select((s, i) => ($"@from{i}", (object?)s.Name())));
        all.AddRange(parameters);
        var changed = await Sql.ExecuteAsync(connection, sql, cancellationToken, [.. all]).ConfigureAwait(false);

        var store = await GetAsync(connection, name, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return new StoreChangeResult(ChangeOutcome.NotFound, null, Refusal.NotFound(name));
        }

        if (changed == 0)
        {
            if (expectedOperationId is not null && store.OperationId != expectedOperationId)
            {
                return new StoreChangeResult(ChangeOutcome.Refused, store, Refusal.Conflict("A newer operation has taken over this store; this step's outcome is no longer recorded on it."));
            }

            var refusal = guard?.Explain(store) ?? LifecycleTransitions.Decide(store.Status, command).Refusal ?? Refusal.Conflict($"The store is already {store.Status.Name()}.");
            return new StoreChangeResult(ChangeOutcome.Refused, store, refusal);
        }

        await InsertActivityAsync(connection, store, audit, now, cancellationToken).ConfigureAwait(false);
        // A cancel gives the row a fresh operation id; the run is the one that was in flight.
        var run = finishes is { } result && (expectedOperationId ?? store.OperationId) is { } finished
            ? await InsertRunAsync(connection, name, finished, result, now, cancellationToken).ConfigureAwait(false)
            : null;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Tell(run);
        return new StoreChangeResult(ChangeOutcome.Applied, store);
    }

    /// <summary>
    /// Deletes finished operation runs older than <paramref name="cutoff"/> (AUDIT_RETENTION_DAYS, with the audit rows),
    /// a batch at a time. Returns how many went.
    /// </summary>
    public async Task<int> PruneOperationRunsAsync(DateTimeOffset cutoff, int batchSize = 5000, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await Sql.ExecuteAsync(
                connection,
                "DELETE FROM operation_runs WHERE id IN (SELECT id FROM operation_runs WHERE finished_at < @cutoff ORDER BY id LIMIT @batch)",
                cancellationToken,
                ("@cutoff", cutoff.ToUnixTimeMilliseconds()), ("@batch", batchSize)).ConfigureAwait(false);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Writes the run of the operation that the caller's transaction ends, from the store row as it is in that
    /// transaction (before a removal deletes it). Once per operation id: a repeated outcome writes nothing and returns null.
    /// </summary>
    private static async Task<OperationRun?> InsertRunAsync(
        DbConnection connection, string name, string operationId, OperationResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(
            connection,
            """
            INSERT INTO operation_runs (operation_id, store_name, user_id, operation, result, started_at, finished_at, duration_ms)
            SELECT @op, name, user_id, COALESCE(operation, 'install'), @result, COALESCE(operation_started_at, updated_at), @now,
                   CASE WHEN COALESCE(operation_started_at, updated_at) < @now THEN @now - COALESCE(operation_started_at, updated_at) ELSE 0 END
            FROM stores WHERE name = @name
            ON CONFLICT (operation_id) DO NOTHING
            RETURNING store_name, user_id, operation, started_at
            """,
            ("@op", operationId), ("@result", result.Name()), ("@now", now.ToUnixTimeMilliseconds()), ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new OperationRun(
            operationId, reader.GetString(0), reader.GetString(1), Wire.ParseOperation(reader.GetString(2)), result,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), now);
    }

    private void Tell(OperationRun? run)
    {
        if (run is not null)
        {
            runObserver?.Finished(run);
        }
    }

    /// <summary>An extra condition of a transition's UPDATE, and how to explain a refusal it caused.</summary>
    private sealed record Guard(string Sql, Func<Store, Refusal?> Explain);

    private static string NewOperationId() => Guid.NewGuid().ToString("N")[..12];

    private static Task InsertActivityAsync(DbConnection connection, Store store, ActivityDraft audit, DateTimeOffset now, CancellationToken cancellationToken) =>
        InsertActivityAsync(connection, store.Name, store.UserId, store.OperationId, audit, now, cancellationToken);

    /// <summary>
    /// Appends the audit row and adds it to the cumulative counters in the caller's transaction, so the metrics never
    /// depend on audit rows that retention may since have pruned. The row carries the draft's trace id, else the current
    /// span's: inside an operation that is the operation's trace (its activities' spans continue the request's).
    /// </summary>
    private static async Task InsertActivityAsync(
        DbConnection connection, string storeName, string? userId, string? operationId, ActivityDraft audit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long? duration = audit.Duration is { } d ? (long)d.TotalMilliseconds : null;
        await Sql.ExecuteAsync(
            connection,
            "INSERT INTO activity (store_name, user_id, action, detail, timestamp, operation_id, duration_ms, actor, trace_id) VALUES (@store, @user, @action, @detail, @now, @operation_id, @duration, @actor, @trace_id)",
            cancellationToken,
            ("@store", storeName), ("@user", userId), ("@action", audit.Action), ("@detail", audit.Detail), ("@now", now.ToUnixTimeMilliseconds()),
            ("@operation_id", operationId), ("@duration", duration), ("@actor", audit.Actor ?? ActivityDraft.SystemActor),
            ("@trace_id", audit.TraceId ?? Observability.Tracing.CurrentTraceId())).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO audit_counters (user_id, action, count, duration_ms_total, duration_count) VALUES (@user, @action, 1, @duration, @timed)
            ON CONFLICT (user_id, action) DO UPDATE SET
                count = audit_counters.count + 1,
                duration_ms_total = audit_counters.duration_ms_total + excluded.duration_ms_total,
                duration_count = audit_counters.duration_count + excluded.duration_count
            """,
            cancellationToken,
            ("@user", userId ?? string.Empty), ("@action", audit.Action), ("@duration", duration ?? 0L), ("@timed", duration is null ? 0L : 1L)).ConfigureAwait(false);
    }

    private static async Task<Store?> GetAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, $"SELECT {Columns} FROM stores WHERE name = @name", ("@name", name));
        return (await ReadStoresAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    internal static async Task<IReadOnlyList<Store>> ReadStoresAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var stores = new List<Store>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stores.Add(ReadStore(reader));
        }

        return stores;
    }

    /// <summary>How many columns <see cref="Columns"/> names.</summary>
    internal const int ColumnCount = 14;

    internal static Store ReadStore(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        UserId = r.GetString(2),
        Engine = Wire.ParseEngine(r.GetString(3)),
        Status = Wire.ParseStatus(r.GetString(4)),
        Operation = r.IsDBNull(5) ? null : Wire.ParseOperation(r.GetString(5)),
        OperationId = r.IsDBNull(6) ? null : r.GetString(6),
        FailedOperation = r.IsDBNull(7) ? null : Wire.ParseOperation(r.GetString(7)),
        OperationArgs = r.IsDBNull(8) ? null : r.GetString(8),
        Revision = r.IsDBNull(9) ? null : r.GetInt32(9),
        Error = r.IsDBNull(10) ? null : r.GetString(10),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        Plan = r.GetString(13),
    };
}
