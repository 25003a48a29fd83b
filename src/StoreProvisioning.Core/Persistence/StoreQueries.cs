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

    /// <summary>
    /// Counts by status, and cumulative accepted requests by kind and the average install time from the counters kept
    /// beside the audit trail (not from its rows, which retention prunes), read in one snapshot.
    /// </summary>
    /// <param name="ownerUserId">When set, only that user's stores and their counters.</param>
    public async Task<StoreMetrics> MetricsAsync(CancellationToken cancellationToken = default, string? ownerUserId = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        var owner = ownerUserId is null ? string.Empty : " AND user_id = @owner";
        (string, object?)[] ownerParameter = ownerUserId is null ? [] : [("@owner", ownerUserId)];
        var byStatus = Enum.GetValues<StoreStatus>().ToDictionary(s => s, _ => 0);
        await using (var command = Sql.Command(connection, "SELECT status, COUNT(*) FROM stores WHERE 1 = 1" + owner + " GROUP BY status", ownerParameter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                byStatus[Wire.ParseStatus(reader.GetString(0))] = (int)Sql.Long(reader.GetValue(1));
            }
        }

        var requests = new Dictionary<string, int>();
        await using (var command = Sql.Command(connection, "SELECT action, SUM(count) FROM audit_counters WHERE action LIKE '%.requested'" + owner + " GROUP BY action", ownerParameter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                requests[reader.GetString(0)] = (int)Sql.Long(reader.GetValue(1));
            }
        }

        double? averageInstall = null;
        await using (var command = Sql.Command(
            connection,
            $"SELECT SUM(duration_ms_total), SUM(duration_count) FROM audit_counters WHERE action = '{AuditActions.InstallSucceeded}'" + owner,
            ownerParameter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && Sql.Long(reader.GetValue(1)) is > 0 and var timed)
            {
                averageInstall = Sql.Long(reader.GetValue(0)) / (double)timed / 1000.0;
            }
        }

        return new StoreMetrics(byStatus, requests, averageInstall);
    }
}
