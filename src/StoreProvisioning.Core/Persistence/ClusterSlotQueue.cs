using System.Data.Common;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>
/// The cluster-wide FIFO queue of cluster slots (PROVISION_CONCURRENCY): one row per operation that holds or waits for
/// a slot (or per reconciler repair holding one, <see cref="TryTakeFreeSlotAsync"/>), numbered in arrival order. An
/// operation is admitted while it is among the first <c>concurrency</c> rows, so every instance sharing the database
/// sees the same bound: the row is the lock. Plain SQL (INSERT … ON CONFLICT, ORDER BY … LIMIT) on both engines; on
/// PostgreSQL an advisory lock makes each read-and-change one step across instances.
/// </summary>
public sealed class ClusterSlotQueue(MetadataDatabase metadata, TimeProvider clock)
{
    /// <summary>Statuses of a store whose operation may still run cluster steps; a claim of any other store is stale.</summary>
    private static readonly string[] InFlight = [StoreStatus.New.Name(), StoreStatus.Provisioning.Name(), StoreStatus.Deleting.Name()];

    /// <summary>
    /// Puts the operation in the queue (once: a second claim keeps its place and only updates which orchestration
    /// instance to wake) and says whether it is admitted, i.e. among the first <paramref name="concurrency"/> claims.
    /// </summary>
    /// <param name="startInput">
    /// Kept with the claim for the release that admits it (<see cref="ReleaseAdmittingAsync"/>): what that release
    /// needs to mark the operation started. Null: the release only wakes it (a later claim's null keeps an earlier value).
    /// </param>
    public async Task<bool> ClaimAsync(
        string operationId, string storeName, string instanceId, int concurrency, string? startInput = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await metadata.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await metadata.LockClusterSlotsAsync(connection, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO cluster_slots (operation_id, store_name, instance_id, enqueued_at, start_input) VALUES (@op, @store, @instance, @now, @start)
            ON CONFLICT (operation_id) DO UPDATE SET instance_id = excluded.instance_id, start_input = COALESCE(excluded.start_input, cluster_slots.start_input)
            """,
            cancellationToken,
            ("@op", operationId), ("@store", storeName), ("@instance", instanceId), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@start", startInput)).ConfigureAwait(false);
        var admitted = (await HoldersAsync(connection, concurrency, cancellationToken).ConfigureAwait(false)).Any(h => h.OperationId == operationId);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return admitted;
    }

    /// <summary>What a claim that is not an operation's starts with: the reconciler's repair of a READY store.</summary>
    public const string RepairPrefix = "repair:";

    /// <summary>
    /// Takes a slot for cluster work that is not an operation (the reconciler's isolation repair of a READY store) only if
    /// one is free now and nobody waits for it: such work never queues and never goes ahead of an operation. Release
    /// it with <see cref="ReleaseAsync"/> under the returned id; null when no slot is free.
    /// </summary>
    public async Task<string?> TryTakeFreeSlotAsync(string storeName, int concurrency, CancellationToken cancellationToken = default)
    {
        var holder = RepairPrefix + storeName + ":" + Guid.NewGuid().ToString("N");
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await metadata.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await metadata.LockClusterSlotsAsync(connection, cancellationToken).ConfigureAwait(false);
        var taken = await Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO cluster_slots (operation_id, store_name, instance_id, enqueued_at)
            SELECT @op, @store, @op, @now WHERE (SELECT COUNT(*) FROM cluster_slots) < @limit
            """,
            cancellationToken,
            ("@op", holder), ("@store", storeName), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@limit", concurrency)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return taken == 1 ? holder : null;
    }

    /// <summary>
    /// Gives the operation's slot back (or leaves the queue). Returns the orchestration instances this admitted, to be
    /// told so. Idempotent: releasing an operation that holds nothing admits nobody.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(string operationId, int concurrency, CancellationToken cancellationToken = default) =>
        [.. (await ReleaseAdmittingAsync(operationId, concurrency, cancellationToken).ConfigureAwait(false)).Select(c => c.InstanceId)];

    /// <summary><see cref="ReleaseAsync"/>, returning the claims this admitted whole (with their start input).</summary>
    public Task<IReadOnlyList<SlotClaim>> ReleaseAdmittingAsync(string operationId, int concurrency, CancellationToken cancellationToken = default) =>
        RemoveAsync("DELETE FROM cluster_slots WHERE operation_id = @op", concurrency, cancellationToken, ("@op", operationId));

    /// <summary>
    /// Removes stale claims: the store is gone, runs another operation now (cancelled or superseded), or is no longer in
    /// flight (its orchestration ended without releasing, e.g. terminated or crashed); and a repair's slot taken before
    /// <paramref name="repairsBefore"/> (its process died mid-repair: a live repair ends well within the CLI timeout).
    /// Returns the instances admitted.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReleaseStaleAsync(int concurrency, DateTimeOffset repairsBefore, CancellationToken cancellationToken = default) =>
        [.. (await RemoveAsync(
            """
            DELETE FROM cluster_slots WHERE CASE WHEN operation_id LIKE @repair THEN enqueued_at < @cutoff ELSE NOT EXISTS (
                SELECT 1 FROM stores s
                WHERE s.name = cluster_slots.store_name AND s.operation_id = cluster_slots.operation_id AND s.status IN (@s0, @s1, @s2)) END
            """,
            concurrency,
            cancellationToken,
            ("@s0", InFlight[0]), ("@s1", InFlight[1]), ("@s2", InFlight[2]), ("@repair", RepairPrefix + "%"), ("@cutoff", repairsBefore.ToUnixTimeMilliseconds()))
            .ConfigureAwait(false)).Select(c => c.InstanceId)];

    /// <summary>The claims that hold a slot now (the first <paramref name="concurrency"/> in line), in order.</summary>
    public async Task<IReadOnlyList<SlotClaim>> AdmittedAsync(int concurrency, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await HoldersAsync(connection, concurrency, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The queue in order: operation id, store, whether it holds a slot.</summary>
    public async Task<IReadOnlyList<SlotClaim>> ListAsync(int concurrency, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var claims = await ReadAsync(connection, "SELECT operation_id, store_name, instance_id, start_input FROM cluster_slots ORDER BY seq", cancellationToken).ConfigureAwait(false);
        return [.. claims.Select((c, i) => c with { Admitted = i < concurrency })];
    }

    private async Task<IReadOnlyList<SlotClaim>> RemoveAsync(string delete, int concurrency, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await metadata.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await metadata.LockClusterSlotsAsync(connection, cancellationToken).ConfigureAwait(false);
        var before = (await HoldersAsync(connection, concurrency, cancellationToken).ConfigureAwait(false)).Select(h => h.OperationId).ToHashSet(StringComparer.Ordinal);
        if (await Sql.ExecuteAsync(connection, delete, cancellationToken, parameters).ConfigureAwait(false) == 0)
        {
            return [];
        }

        var after = await HoldersAsync(connection, concurrency, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. after.Where(h => !before.Contains(h.OperationId))];
    }

    private static Task<IReadOnlyList<SlotClaim>> HoldersAsync(DbConnection connection, int concurrency, CancellationToken cancellationToken) =>
        ReadAsync(connection, "SELECT operation_id, store_name, instance_id, start_input FROM cluster_slots ORDER BY seq LIMIT @limit", cancellationToken, ("@limit", concurrency));

    private static async Task<IReadOnlyList<SlotClaim>> ReadAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Sql.Command(connection, sql, parameters);
        var claims = new List<SlotClaim>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claims.Add(new SlotClaim(reader.GetString(0), reader.GetString(1), reader.GetString(2), Admitted: true, reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return claims;
    }
}

/// <summary>
/// One operation in the cluster slot queue; <paramref name="Admitted"/>: it holds a slot. <paramref name="StartInput"/>:
/// what its release marks it started with, if it asked (<see cref="ClusterSlotQueue.ClaimAsync"/>).
/// </summary>
public sealed record SlotClaim(string OperationId, string StoreName, string InstanceId, bool Admitted, string? StartInput = null);
