using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

// The repository contract again, on a real PostgreSQL (scripts/with-postgres.sh): every test of the base class runs
// unchanged against a fresh schema. Without TEST_POSTGRES_CONNECTION these fail, saying how to run or exclude them.

[Trait("Database", "PostgreSQL")]
public sealed class StoreRepositoryPostgresTests() : StoreRepositoryTests(RepositoryHarness.OnPostgres());

[Trait("Database", "PostgreSQL")]
public sealed class StoreRepositoryRacePostgresTests() : StoreRepositoryRaceTests(RepositoryHarness.OnPostgres());

[Trait("Database", "PostgreSQL")]
public sealed class ClusterSlotQueuePostgresTests() : ClusterSlotQueueTests(RepositoryHarness.OnPostgres);

[Trait("Database", "PostgreSQL")]
public sealed class ClusterStepRunsPostgresTests() : ClusterStepRunsTests(RepositoryHarness.OnPostgres);

[Trait("Database", "PostgreSQL")]
public sealed class ApiKeyRepositoryPostgresTests() : ApiKeyRepositoryTests(RepositoryHarness.OnPostgres());

/// <summary>The PostgreSQL schema itself: versioned migrations, one instance migrating at a time.</summary>
[Trait("Database", "PostgreSQL")]
public sealed class PostgresDatabaseTests : IDisposable
{
    private readonly RepositoryHarness h = RepositoryHarness.OnPostgres();

    public void Dispose() => h.Dispose();

    // First use migrates an empty schema to the latest version; the tables the repositories use are there.
    [Fact]
    public async Task First_open_migrates_to_the_latest_version()
    {
        await using (var connection = await h.Database.OpenConnectionAsync())
        {
            Assert.Equal(PostgresDatabase.LatestVersion, await h.Database.ReadSchemaVersionAsync(connection));
        }

        Assert.Equal(
            5L,
            h.Count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('stores', 'activity', 'api_keys', 'audit_counters', 'cluster_slots')"));
    }

    // Six instances starting at once on an empty database: one migrates, the others wait and find it done; data is kept.
    [Fact]
    public async Task Instances_starting_together_migrate_once()
    {
        var databases = Enumerable.Range(0, 6).Select(_ => h.OpenAnotherDatabase()).ToList();
        await Task.WhenAll(databases.Select(async d => await (await d.OpenConnectionAsync()).DisposeAsync()));
        await h.CreateAsync("acme");

        await using (var connection = await h.OpenAnotherDatabase().OpenConnectionAsync())
        {
            Assert.Equal(PostgresDatabase.LatestVersion, await h.Database.ReadSchemaVersionAsync(connection));
        }

        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(1L, h.Count("SELECT COUNT(*) FROM stores"));
    }

    // A database written by a newer build is refused with a message that says what to do, and nothing is changed.
    [Fact]
    public async Task A_newer_schema_is_refused()
    {
        await (await h.Database.OpenConnectionAsync()).DisposeAsync();
        h.Scalar("UPDATE schema_version SET version = version + 1");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.OpenAnotherDatabase().OpenConnectionAsync());
        Assert.Contains("newer than this build understands", ex.Message);
        Assert.Equal((long)PostgresDatabase.LatestVersion + 1, Convert.ToInt64(h.Scalar("SELECT version FROM schema_version")));
    }

    // Upgrading a database written before the store counts by status existed fills them from the stores there, and
    // the trigger keeps them from then on.
    [Fact]
    public async Task Status_counts_migration_fills_the_counts_from_the_stores()
    {
        await h.ReadyAsync("acme");
        await h.FailedAsync("bobs", "bob");
        await h.CreateAsync("carl", "carl");
        h.Scalar("""
            DROP TRIGGER stores_counted ON stores; DROP FUNCTION store_status_counts_track(); DROP TABLE store_status_counts;
            DROP TABLE cluster_step_runs; ALTER TABLE cluster_slots DROP COLUMN start_input;
            UPDATE schema_version SET version = version - 3
            """);

        await (await h.OpenAnotherDatabase().OpenConnectionAsync()).DisposeAsync();

        Assert.Equal((long)PostgresDatabase.LatestVersion, Convert.ToInt64(h.Scalar("SELECT version FROM schema_version")));
        h.AssertStatusCountsMatchRows();
        Assert.Equal(1L, h.Count("SELECT count FROM store_status_counts WHERE status = 'READY'"));
        await h.ReadyAsync("dora", "dora");
        h.AssertStatusCountsMatchRows();
        Assert.Equal(2L, h.Count("SELECT count FROM store_status_counts WHERE status = 'READY'"));
    }

    // Where the database is, as health output shows it, never includes the password.
    [Fact]
    public void Location_leaves_out_credentials()
    {
        var database = new PostgresDatabase("Host=db.internal;Port=5433;Database=stores;Username=app;Password=s3cret-pw");
        Assert.Equal("db.internal:5433/stores", database.Location);
        Assert.DoesNotContain("s3cret", database.Location);
    }
}

[Trait("Database", "PostgreSQL")]
public sealed class OperationRunPostgresTests() : OperationRunTests(RepositoryHarness.OnPostgres());
