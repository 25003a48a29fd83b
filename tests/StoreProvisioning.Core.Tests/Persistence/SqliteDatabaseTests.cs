using Microsoft.Data.Sqlite;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Persistence;

public class SqliteDatabaseTests
{
    // First use creates the folder and the file, applies the schema with user_version = LatestVersion, and turns on WAL.
    [Fact]
    public async Task First_open_creates_schema_version_and_wal()
    {
        using var harness = new RepositoryHarness();
        Assert.False(File.Exists(harness.DatabasePath));

        await using (var connection = await harness.Sqlite.OpenAsync())
        {
            Assert.Equal(SqliteDatabase.LatestVersion, await SqliteDatabase.SchemaVersionAsync(connection));
        }

        Assert.True(File.Exists(harness.DatabasePath));
        Assert.True(SqliteDatabase.LatestVersion >= 1);
        Assert.Equal((long)SqliteDatabase.LatestVersion, harness.Scalar("PRAGMA user_version;"));
        Assert.Equal("wal", harness.Scalar("PRAGMA journal_mode;"));
        Assert.Equal(2L, harness.Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('stores', 'activity')"));
    }

    // Connections handed out carry the busy timeout, so concurrent writers wait instead of failing.
    [Fact]
    public async Task Connections_have_busy_timeout()
    {
        using var harness = new RepositoryHarness();
        await using var connection = await harness.Sqlite.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(10000L, await command.ExecuteScalarAsync());
    }

    // Migrating an up-to-date file again (another process starting) changes nothing and keeps the data.
    [Fact]
    public async Task Reopening_keeps_data_and_version()
    {
        using var harness = new RepositoryHarness();
        await harness.ReadyAsync("acme");

        var again = harness.OpenAnother();
        var store = await again.GetAsync("acme");

        Assert.NotNull(store);
        Assert.Equal(StoreProvisioning.Stores.StoreStatus.Ready, store.Status);
        Assert.Equal((long)SqliteDatabase.LatestVersion, harness.Scalar("PRAGMA user_version;"));
    }

    // A file from a newer build (higher user_version) is refused with a message saying so, not silently used.
    [Fact]
    public async Task Newer_schema_is_refused()
    {
        using var harness = new RepositoryHarness();
        Directory.CreateDirectory(Path.GetDirectoryName(harness.DatabasePath)!);
        using (var connection = new SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteDatabase.LatestVersion + 1};";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Sqlite.MigrateAsync());
        Assert.Contains("newer than this build understands", ex.Message);
        Assert.Contains(harness.DatabasePath, ex.Message);
    }

    // Several database objects migrating one new file at once (app instances starting together) all succeed, once.
    [Fact]
    public async Task Parallel_first_migrations_agree()
    {
        using var harness = new RepositoryHarness();
        var databases = Enumerable.Range(0, 6).Select(_ => new SqliteDatabase(harness.DatabasePath)).ToList();
        using var gate = new ManualResetEventSlim();
        var tasks = databases.Select(db => Task.Run(async () =>
        {
            gate.Wait();
            await db.MigrateAsync();
        })).ToList();
        gate.Set();
        await Task.WhenAll(tasks);

        Assert.Equal((long)SqliteDatabase.LatestVersion, harness.Scalar("PRAGMA user_version;"));
        Assert.Equal(2L, harness.Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('stores', 'activity')"));
    }

    // Upgrading a file written before the audit counters (and the store counts by status) existed fills them from the
    // audit rows and stores that are there, so the metrics read the same before and after the upgrade.
    [Fact]
    public async Task Counters_migration_backfills_from_existing_audit_rows()
    {
        using var harness = new RepositoryHarness();
        await harness.ReadyAsync("acme");
        await harness.ReadyAsync("bobs", "bob");
        var before = await harness.Queries.MetricsAsync();
        using (var connection = new SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                DROP TABLE audit_counters; DROP INDEX ix_stores_created; DROP INDEX ix_stores_user_created; DROP INDEX ix_activity_timestamp;
                DROP TABLE cluster_slots;
                DROP TABLE operation_runs; ALTER TABLE stores DROP COLUMN operation_started_at;
                ALTER TABLE activity DROP COLUMN trace_id;
                DROP TRIGGER stores_counted_on_insert; DROP TRIGGER stores_counted_on_status; DROP TRIGGER stores_counted_on_delete;
                DROP TABLE store_status_counts;
                DROP TABLE cluster_step_runs;
                PRAGMA user_version = 3;
                """;
            command.ExecuteNonQuery();
        }

        Assert.Equal(0L, harness.Count("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('audit_counters', 'ix_stores_created')"));
        Assert.Equal(3L, harness.Scalar("PRAGMA user_version;")); // before the counters migration (and the cluster slots, operation runs and trace ids after it)

        // A new process: no pooled connection that still has the old schema cached.
        SqliteConnection.ClearAllPools();
        var upgraded = new StoreQueries(harness.OpenAnotherDatabase());
        var after = await upgraded.MetricsAsync();

        Assert.Equal((long)SqliteDatabase.LatestVersion, harness.Scalar("PRAGMA user_version;"));
        Assert.Equal(before.RequestsByAction, after.RequestsByAction);
        Assert.Equal(42.0, after.AverageInstallSeconds);
        Assert.Equal(2, after.Requests(AuditActions.CreateRequested));
        Assert.Equal(2, after.ByStatus[StoreStatus.Ready]); // the store counts by status, filled from the rows
        Assert.Equal(before.ByStatus, after.ByStatus);
        harness.AssertStatusCountsMatchRows();
        Assert.Equal(1, (await upgraded.MetricsAsync(ownerUserId: "bob")).Requests(AuditActions.CreateRequested));
    }
}
