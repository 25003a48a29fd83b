using System.Data.Common;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>
/// The cluster-wide FIFO queue of cluster slots (PROVISION_CONCURRENCY): one row per operation that holds or waits for
/// a slot, numbered in arrival order. An operation is admitted while it is among the first <c>concurrency</c> rows, so
/// every instance sharing the database sees the same bound: the row is the lock. Plain SQL (INSERT … ON CONFLICT,
/// ORDER BY … LIMIT) on both engines; on PostgreSQL an advisory lock makes each read-and-change one step across instances.
/// </summary>
public sealed class ClusterSlotQueue(MetadataDatabase metadata, TimeProvider clock)
{
    /// <summary>Statuses of a store whose operation may still run cluster steps; a claim of any other store is stale.</summary>
    private static readonly string[] InFlight = [StoreStatus.New.Name(), StoreStatus.Provisioning.Name(), StoreStatus.Deleting.Name()];

    /// <summary>
    /// Puts the operation in the queue (once: a second claim keeps its place and only updates which orchestration
    /// instance to wake) and says whether it is admitted, i.e. among the first <paramref name="concurrency"/> claims.
    /// </summary>
    public async Task<bool> ClaimAsync(string operationId, string storeName, string instanceId, int concurrency, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await metadata.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await metadata.LockClusterSlotsAsync(connection, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO cluster_slots (operation_id, store_name, instance_id, enqueued_at) VALUES (@op, @store, @instance, @now)
            ON CONFLICT (operation_id) DO UPDATE SET instance_id = excluded.instance_id
            """,
            cancellationToken,
            ("@op", operationId), ("@store", storeName), ("@instance", instanceId), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
        var admitted = (await HoldersAsync(connection, concurrency, cancellationToken).ConfigureAwait(false)).Any(h => h.OperationId == operationId);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return admitted;
    }

    /// <summary>
    /// Gives the operation's slot back (or leaves the queue). Returns the orchestration instances this admitted, to be
    /// told so. Idempotent: releasing an operation that holds nothing admits nobody.
    /// </summary>
    public Task<IReadOnlyList<string>> ReleaseAsync(string operationId, int concurrency, CancellationToken cancellationToken = default) =>
        RemoveAsync("DELETE FROM cluster_slots WHERE operation_id = @op", concurrency, cancellationToken, ("@op", operationId));

    /// <summary>
    /// Removes stale claims: the store is gone, runs another operation now (cancelled or superseded), or is no longer in
    /// flight (its orchestration ended without releasing, e.g. terminated or crashed). Returns the instances admitted.
    /// </summary>
    public Task<IReadOnlyList<string>> ReleaseStaleAsync(int concurrency, CancellationToken cancellationToken = default) =>
        RemoveAsync(
            """
            DELETE FROM cluster_slots WHERE NOT EXISTS (
                SELECT 1 FROM stores s
                WHERE s.name = cluster_slots.store_name AND s.operation_id = cluster_slots.operation_id AND s.status IN (@s0, @s1, @s2))
            """,
            concurrency,
            cancellationToken,
            ("@s0", InFlight[0]), ("@s1", InFlight[1]), ("@s2", InFlight[2]));

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
        var claims = await ReadAsync(connection, "SELECT operation_id, store_name, instance_id FROM cluster_slots ORDER BY seq", cancellationToken).ConfigureAwait(false);
        return [.. claims.Select((c, i) => c with { Admitted = i < concurrency })];
    }

    private async Task<IReadOnlyList<string>> RemoveAsync(string delete, int concurrency, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
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
        return [.. after.Where(h => !before.Contains(h.OperationId)).Select(h => h.InstanceId)];
    }

    private static Task<IReadOnlyList<SlotClaim>> HoldersAsync(DbConnection connection, int concurrency, CancellationToken cancellationToken) =>
        ReadAsync(connection, "SELECT operation_id, store_name, instance_id FROM cluster_slots ORDER BY seq LIMIT @limit", cancellationToken, ("@limit", concurrency));

    private static async Task<IReadOnlyList<SlotClaim>> ReadAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Sql.Command(connection, sql, parameters);
        var claims = new List<SlotClaim>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claims.Add(new SlotClaim(reader.GetString(0), reader.GetString(1), reader.GetString(2), Admitted: true));
        }

        return claims;
    }
}

/// <summary>One operation in the cluster slot queue; <paramref name="Admitted"/>: it holds a slot.</summary>
public sealed record SlotClaim(string OperationId, string StoreName, string InstanceId, bool Admitted);
