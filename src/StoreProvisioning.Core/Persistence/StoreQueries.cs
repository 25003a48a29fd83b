using System.Data.Common;
using System.Text;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>
/// The reads behind the API's lists: stores, the activity log and the metrics. Changes nothing; every write (and its
/// guard) is in <see cref="StoreRepository"/>.
/// </summary>
public class StoreQueries(MetadataDatabase database)
{
    private const string Columns = StoreRepository.Columns;

    /// <summary>Every store, newest first, optionally only one user's or one status'.</summary>
    public async Task<IReadOnlyList<Store>> ListAsync(string? userId = null, StoreStatus? status = null, CancellationToken cancellationToken = default) =>
        (await ListPageAsync(userId, status, int.MaxValue, null, cancellationToken).ConfigureAwait(false)).Stores;

    /// <summary>
    /// Up to <paramref name="limit"/> stores after <paramref name="after"/>, newest first (created_at, then insertion
    /// order, both descending: a stable order an index serves), and the cursor of the next page if there is one.
    /// </summary>
    public async Task<StorePage> ListPageAsync(string? userId, StoreStatus? status, int limit, StoreCursor? after, CancellationToken cancellationToken = default)
    {
        var order = database.InsertionOrder;
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (userId is not null)
        {
            where.Add("user_id = @user");
            parameters.Add(("@user", userId));
        }

        if (status is not null)
        {
            where.Add("status = @status");
            parameters.Add(("@status", status.Value.Name()));
        }

        if (after is not null)
        {
            where.Add($"(created_at < @after_created OR (created_at = @after_created AND {order} < @after_position))");
            parameters.Add(("@after_created", after.CreatedAt));
            parameters.Add(("@after_position", after.Position));
        }

        var sql = new StringBuilder($"SELECT {Columns}, {order} FROM stores");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append($" ORDER BY created_at DESC, {order} DESC");
        if (limit < int.MaxValue)
        {
            // One more than asked tells whether a next page exists.
            sql.Append(" LIMIT @limit");
            parameters.Add(("@limit", limit + 1));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, sql.ToString(), [.. parameters]);
        var stores = new List<Store>();
        var positions = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stores.Add(StoreRepository.ReadStore(reader));
                positions.Add(Sql.Long(reader.GetValue(StoreRepository.ColumnCount)));
            }
        }

        if (stores.Count <= limit)
        {
            return new StorePage(stores, null);
        }

        stores.RemoveAt(limit);
        var last = stores[limit - 1];
        return new StorePage(stores, new StoreCursor(last.CreatedAt.ToUnixTimeMilliseconds(), positions[limit - 1]));
    }

    /// <summary>Audit rows, newest first.</summary>
    /// <param name="ownerUserId">When set, only rows of that user's stores.</param>
    public async Task<IReadOnlyList<ActivityEntry>> ListActivityAsync(int limit, string? storeName = null, CancellationToken cancellationToken = default, string? ownerUserId = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", limit) };
        if (storeName is not null)
        {
            where.Add("store_name = @store");
            parameters.Add(("@store", storeName));
        }

        if (ownerUserId is not null)
        {
            where.Add("user_id = @owner");
            parameters.Add(("@owner", ownerUserId));
        }

        await using var command = Sql.Command(
            connection,
            "SELECT id, action, store_name, user_id, timestamp, detail, actor, trace_id FROM activity"
                + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
                + " ORDER BY id DESC LIMIT @limit",
            [.. parameters]);
        var entries = new List<ActivityEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ActivityEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return entries;
    }

    /// <summary>The trace id the operation's audit rows carry (its first row that has one), or null.</summary>
    public async Task<string?> TraceIdOfOperationAsync(string storeName, string operationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(
            connection,
            "SELECT trace_id FROM activity WHERE store_name = @store AND operation_id = @op AND trace_id IS NOT NULL ORDER BY id LIMIT 1",
            ("@store", storeName), ("@op", operationId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Counts by status (kept by the database, <c>store_status_counts</c>), and cumulative accepted requests by kind and
    /// the average install time from the counters kept beside the audit trail (not from its rows, which retention
    /// prunes). One statement, so one snapshot and one round trip: the dashboard asks every 5 seconds.
    /// </summary>
    /// <param name="ownerUserId">When set, only that user's stores and their counters.</param>
    public async Task<StoreMetrics> MetricsAsync(CancellationToken cancellationToken = default, string? ownerUserId = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var owner = ownerUserId is null ? string.Empty : " AND user_id = @owner";
        (string, object?)[] ownerParameter = ownerUserId is null ? [] : [("@owner", ownerUserId)];
        var byStatus = Enum.GetValues<StoreStatus>().ToDictionary(s => s, _ => 0);
        var requests = new Dictionary<string, int>();
        double? averageInstall = null;

        // Rows: ('status', status, count, 0), ('requested', action, count, 0), ('install', NULL, timed runs, total ms).
        // Everyone's stores by status come from the counts the database keeps beside them (a handful of rows at any
        // size); one user's are counted from their own rows (user index).
        var byStatusSql = ownerUserId is null
            ? "SELECT 'status' AS kind, status AS name, count AS n, 0 AS total_ms FROM store_status_counts"
            : "SELECT 'status' AS kind, status AS name, COUNT(*) AS n, 0 AS total_ms FROM stores WHERE user_id = @owner GROUP BY status";
        var text =
            byStatusSql +
            " UNION ALL SELECT 'requested', action, SUM(count), 0 FROM audit_counters WHERE action LIKE '%.requested'" + owner + " GROUP BY action" +
            $" UNION ALL SELECT 'install', NULL, SUM(duration_count), SUM(duration_ms_total) FROM audit_counters WHERE action = '{AuditActions.InstallSucceeded}'" + owner;
        await using var command = Sql.Command(connection, text, ownerParameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = Sql.Long(reader.GetValue(2));
            switch (reader.GetString(0))
            {
                case "status":
                    byStatus[Wire.ParseStatus(reader.GetString(1))] = (int)count;
                    break;
                case "requested":
                    requests[reader.GetString(1)] = (int)count;
                    break;
                case "install" when count > 0:
                    averageInstall = Sql.Long(reader.GetValue(3)) / (double)count / 1000.0;
                    break;
            }
        }

        return new StoreMetrics(byStatus, requests, averageInstall);
    }
}
