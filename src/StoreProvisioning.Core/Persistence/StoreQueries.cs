using Microsoft.Data.Sqlite;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>
/// The reads behind the API's lists: stores, the activity log and the metrics. Changes nothing; every write (and its
/// guard) is in <see cref="StoreRepository"/>.
/// </summary>
public class StoreQueries(SqliteDatabase database)
{
    private const string Columns = StoreRepository.Columns;

    /// <summary>Stores, newest first, optionally only one user's or one status'.</summary>
    public async Task<IReadOnlyList<Store>> ListAsync(string? userId = null, StoreStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM stores
            WHERE ($user IS NULL OR user_id = $user) AND ($status IS NULL OR status = $status)
            ORDER BY created_at DESC, rowid DESC
            """;
        command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)status?.Name() ?? DBNull.Value);
        return await StoreRepository.ReadStoresAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Audit rows, newest first.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ListActivityAsync(int limit, string? storeName = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, action, store_name, user_id, timestamp, detail FROM activity
            WHERE ($store IS NULL OR store_name = $store)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$store", (object?)storeName ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
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
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return entries;
    }

    /// <summary>Counts by status and cumulative accepted requests by kind, read in one snapshot.</summary>
    public async Task<StoreMetrics> MetricsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var byStatus = Enum.GetValues<StoreStatus>().ToDictionary(s => s, _ => 0);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT status, COUNT(*) FROM stores GROUP BY status";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                byStatus[Wire.ParseStatus(reader.GetString(0))] = reader.GetInt32(1);
            }
        }

        var requests = new Dictionary<string, int>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT action, COUNT(*) FROM activity WHERE action LIKE '%.requested' GROUP BY action";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                requests[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        double? averageInstall = null;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT AVG(duration_ms) FROM activity WHERE action = '{AuditActions.InstallSucceeded}' AND duration_ms IS NOT NULL";
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            averageInstall = value is null or DBNull ? null : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) / 1000.0;
        }

        return new StoreMetrics(byStatus, requests, averageInstall);
    }
}
