using System.Globalization;
using System.Text.RegularExpressions;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>p50/p95 of one operation's finished runs in a window.</summary>
public sealed record OperationDurationSummary(StoreOperation Operation, int Count, double P50Seconds, double P95Seconds);

/// <summary>The cluster slot queue right now, cluster-wide: operations holding a slot, waiting for one, and the bound.</summary>
public sealed record QueueFigures(int Waiting, int InUse, int Capacity);

/// <summary>GET /api/operations/durations: the runs finished since <see cref="Since"/>, per operation (only those with runs), and the queue.</summary>
public sealed record OperationDurationReport(DateTimeOffset Since, IReadOnlyList<OperationDurationSummary> Operations, QueueFigures Queue);

/// <summary>One store as the store_info series shows it.</summary>
public sealed record StoreInfoRow(string Name, StoreEngine Engine, StoreStatus Status, int? Revision);

/// <summary>
/// The reads behind metrics and the durations endpoint. Changes nothing; the runs are written by
/// <see cref="StoreRepository"/> when an operation ends.
/// </summary>
public sealed class ObservabilityQueries(MetadataDatabase database, TimeProvider clock)
{
    /// <summary>
    /// Runs finished in the last <paramref name="window"/>, per operation, with nearest-rank percentiles; only
    /// <paramref name="ownerScope"/>'s stores' runs when set (a user), all otherwise. The queue figures are cluster-wide.
    /// </summary>
    public async Task<OperationDurationReport> DurationsAsync(TimeSpan window, string? ownerScope, int capacity, CancellationToken cancellationToken = default)
    {
        var since = clock.GetUtcNow() - window;
        var durations = new Dictionary<StoreOperation, List<double>>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = Sql.Command(
            connection,
            "SELECT operation, duration_ms FROM operation_runs WHERE finished_at >= @since AND (CAST(@owner AS TEXT) IS NULL OR user_id = @owner)",
            ("@since", since.ToUnixTimeMilliseconds()), ("@owner", ownerScope)))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Wire.TryParseOperation(reader.GetString(0), out var operation))
                {
                    (durations.TryGetValue(operation, out var list) ? list : durations[operation] = []).Add(Sql.Long(reader.GetValue(1)) / 1000.0);
                }
            }
        }

        var operations = Enum.GetValues<StoreOperation>()
            .Where(durations.ContainsKey)
            .Select(operation =>
            {
                var sorted = durations[operation].Order().ToList();
                return new OperationDurationSummary(operation, sorted.Count, Percentiles.NearestRank(sorted, 50), Percentiles.NearestRank(sorted, 95));
            })
            .ToList();
        return new OperationDurationReport(since, operations, await QueueAsync(connection, capacity, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The cluster slot queue now: the first <paramref name="capacity"/> claims hold a slot, the rest wait.</summary>
    public async Task<QueueFigures> QueueAsync(int capacity, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueueAsync(connection, capacity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every store's name, engine, status and revision, in one query.</summary>
    public async Task<IReadOnlyList<StoreInfoRow>> StoresAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<StoreInfoRow>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, "SELECT name, engine, status, revision FROM stores");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoreInfoRow(
                reader.GetString(0), Wire.ParseEngine(reader.GetString(1)), Wire.ParseStatus(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetInt32(3)));
        }

        return rows;
    }

    private static async Task<QueueFigures> QueueAsync(System.Data.Common.DbConnection connection, int capacity, CancellationToken cancellationToken)
    {
        var claims = (int)Sql.Long(await Sql.ScalarAsync(connection, "SELECT COUNT(*) FROM cluster_slots", cancellationToken).ConfigureAwait(false));
        var inUse = Math.Min(claims, capacity);
        return new QueueFigures(claims - inUse, inUse, capacity);
    }
}

/// <summary>Percentiles of a sorted sample.</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile: the smallest value with at least <paramref name="percent"/>% of the sample at or
    /// below it (always a value that was observed). <paramref name="sorted"/> must be ascending and non-empty.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        if (percent is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile is above 0 and at most 100.");
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

/// <summary>The durations endpoint's window: whole hours or days from 1h to 7d ("1h", "24h", "7d").</summary>
public static partial class DurationWindow
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);
    public static readonly TimeSpan Max = TimeSpan.FromDays(7);

    public const string Rule = "window must be a whole number of hours or days from 1h to 7d, such as 1h, 24h or 7d";

    public static bool TryParse(string? text, out TimeSpan window)
    {
        window = Default;
        if (text is null)
        {
            return true;
        }

        var match = Pattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        var length = match.Groups[2].Value == "h" ? TimeSpan.FromHours(count) : TimeSpan.FromDays(count);
        if (length < TimeSpan.FromHours(1) || length > Max)
        {
            return false;
        }

        window = length;
        return true;
    }

    [GeneratedRegex(@"^([1-9][0-9]{0,3})([hd])\z")]
    private static partial Regex Pattern();
}
