namespace StoreProvisioning.Persistence;

/// <summary>
/// At most one run of a cluster step per store at a time, across every instance sharing the database. The durable
/// engine delivers an activity at least once, and with several instances a second delivery can start while the first
/// still runs (a control-queue partition changing hands, a work item whose lock ran out). Two runs of `helm upgrade` on
/// one release at once fail each other, and the second would take the first's pending release for an interrupted one.
/// A run holds the store's row here for a lease it renews while it runs; a run whose process died lets go when its
/// lease runs out. The row is the lock.
/// </summary>
public sealed class ClusterStepRuns(MetadataDatabase metadata, TimeProvider clock)
{
    /// <summary>Takes the store's row for this run unless another run holds it and its lease has not run out.</summary>
    public async Task<bool> TryStartAsync(string storeName, string runId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO cluster_step_runs (store_name, run_id, held_until) VALUES (@store, @run, @until)
            ON CONFLICT (store_name) DO UPDATE SET run_id = excluded.run_id, held_until = excluded.held_until
            WHERE cluster_step_runs.held_until < @now
            """,
            cancellationToken,
            ("@store", storeName), ("@run", runId), ("@until", (now + lease).ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;
    }

    /// <summary>Extends the run's lease; false when the run no longer holds the row (its lease ran out and another took it).</summary>
    public async Task<bool> RenewAsync(string storeName, string runId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await Sql.ExecuteAsync(
            connection,
            "UPDATE cluster_step_runs SET held_until = @until WHERE store_name = @store AND run_id = @run",
            cancellationToken,
            ("@store", storeName), ("@run", runId), ("@until", (clock.GetUtcNow() + lease).ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;
    }

    /// <summary>Lets go of the row if this run still holds it.</summary>
    public async Task EndAsync(string storeName, string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await metadata.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            "DELETE FROM cluster_step_runs WHERE store_name = @store AND run_id = @run",
            cancellationToken,
            ("@store", storeName), ("@run", runId)).ConfigureAwait(false);
    }
}
