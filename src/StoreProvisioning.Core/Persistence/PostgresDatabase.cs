using System.Data;
using System.Data.Common;
using Npgsql;

namespace StoreProvisioning.Persistence;

/// <summary>
/// PostgreSQL as the metadata store shared by several instances. The schema is kept current by its own append-only
/// migrations (the same tables and columns as <see cref="SqliteDatabase"/>'s, in PostgreSQL's types); instances that
/// start together migrate one at a time under an advisory lock.
/// </summary>
public sealed class PostgresDatabase : MetadataDatabase, IAsyncDisposable
{
    /// <summary>Each entry moves the schema one version up; never edit a shipped entry, append a new one.</summary>
    private static readonly string[] Migrations =
    [
        // SQLite migrations 1-3 in one: stores, the audit trail, API keys, plans.
        """
        CREATE TABLE stores (
            id               TEXT    NOT NULL PRIMARY KEY,
            name             TEXT    NOT NULL UNIQUE,
            user_id          TEXT    NOT NULL,
            engine           TEXT    NOT NULL,
            status           TEXT    NOT NULL,
            operation        TEXT    NULL,
            operation_id     TEXT    NULL,
            failed_operation TEXT    NULL,
            operation_args   TEXT    NULL,
            revision         INTEGER NULL,
            error            TEXT    NULL,
            created_at       BIGINT  NOT NULL,
            updated_at       BIGINT  NOT NULL,
            plan             TEXT    NOT NULL DEFAULT 'small',
            seq              BIGINT  GENERATED ALWAYS AS IDENTITY UNIQUE
        );
        CREATE INDEX ix_stores_user ON stores (user_id);
        CREATE INDEX ix_stores_status ON stores (status);
        CREATE TABLE activity (
            id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            store_name   TEXT    NOT NULL,
            user_id      TEXT    NULL,
            action       TEXT    NOT NULL,
            detail       TEXT    NULL,
            timestamp    BIGINT  NOT NULL,
            operation_id TEXT    NULL,
            duration_ms  BIGINT  NULL,
            actor        TEXT    NULL
        );
        CREATE INDEX ix_activity_store ON activity (store_name, id);
        CREATE INDEX ix_activity_action ON activity (action);
        CREATE INDEX ix_activity_user ON activity (user_id, id);
        CREATE TABLE api_keys (
            id         TEXT    NOT NULL PRIMARY KEY,
            prefix     TEXT    NOT NULL,
            hash       BYTEA   NOT NULL,
            user_id    TEXT    NOT NULL,
            role       TEXT    NOT NULL,
            name       TEXT    NULL,
            created_at BIGINT  NOT NULL,
            expires_at BIGINT  NULL,
            seq        BIGINT  GENERATED ALWAYS AS IDENTITY UNIQUE
        );
        CREATE INDEX ix_api_keys_prefix ON api_keys (prefix);
        """,
        // SQLite migration 4: keyset paging, audit retention by age, cumulative counters.
        """
        CREATE INDEX ix_stores_created ON stores (created_at, seq);
        CREATE INDEX ix_stores_user_created ON stores (user_id, created_at, seq);
        CREATE INDEX ix_activity_timestamp ON activity (timestamp);
        CREATE TABLE audit_counters (
            user_id           TEXT   NOT NULL,
            action            TEXT   NOT NULL,
            count             BIGINT NOT NULL,
            duration_ms_total BIGINT NOT NULL,
            duration_count    BIGINT NOT NULL,
            PRIMARY KEY (user_id, action)
        );
        INSERT INTO audit_counters (user_id, action, count, duration_ms_total, duration_count)
        SELECT COALESCE(user_id, ''), action, COUNT(*), COALESCE(SUM(duration_ms), 0), COUNT(duration_ms) FROM activity GROUP BY COALESCE(user_id, ''), action;
        """,
        // The cluster slot queue (SQLite migration 5): one row per operation holding or waiting for a cluster slot.
        """
        CREATE TABLE cluster_slots (
            seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            operation_id TEXT   NOT NULL UNIQUE,
            store_name   TEXT   NOT NULL,
            instance_id  TEXT   NOT NULL,
            enqueued_at  BIGINT NOT NULL
        );
        """,
        // Observability (SQLite migration 6): when the current operation was accepted, and one row per finished operation.
        """
        ALTER TABLE stores ADD COLUMN operation_started_at BIGINT NULL;
        UPDATE stores SET operation_started_at = COALESCE(
            (SELECT MIN(a.timestamp) FROM activity a WHERE a.store_name = stores.name AND a.operation_id = stores.operation_id), updated_at);
        CREATE TABLE operation_runs (
            id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            operation_id TEXT   NOT NULL UNIQUE,
            store_name   TEXT   NOT NULL,
            user_id      TEXT   NOT NULL,
            operation    TEXT   NOT NULL,
            result       TEXT   NOT NULL,
            started_at   BIGINT NOT NULL,
            finished_at  BIGINT NOT NULL,
            duration_ms  BIGINT NOT NULL
        );
        CREATE INDEX ix_operation_runs_finished ON operation_runs (finished_at);
        CREATE INDEX ix_operation_runs_user_finished ON operation_runs (user_id, finished_at);
        """,
        // Traces: the W3C trace id of the operation that wrote the row (null for rows from before, or outside a trace).
        """
        ALTER TABLE activity ADD COLUMN trace_id TEXT NULL;
        """,
        // Stores by status (SQLite migration 8), kept by a trigger in the writing transaction. A transaction changes
        // one store's status, so it updates at most two count rows; it takes them in the order of their status, so two
        // transitions never wait for each other in a cycle. The trigger is created before the counts are filled: its
        // lock on stores holds off writers until this migration commits, so no change falls between the two.
        """
        CREATE TABLE store_status_counts (
            status TEXT   NOT NULL PRIMARY KEY,
            count  BIGINT NOT NULL
        );
        CREATE FUNCTION store_status_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            change RECORD;
        BEGIN
            FOR change IN
                SELECT s.status, SUM(s.delta) AS delta
                FROM (VALUES (CASE WHEN TG_OP <> 'INSERT' THEN OLD.status END, -1),
                             (CASE WHEN TG_OP <> 'DELETE' THEN NEW.status END, 1)) AS s (status, delta)
                WHERE s.status IS NOT NULL
                GROUP BY s.status
                HAVING SUM(s.delta) <> 0
                ORDER BY s.status
            LOOP
                INSERT INTO store_status_counts (status, count) VALUES (change.status, change.delta)
                ON CONFLICT (status) DO UPDATE SET count = store_status_counts.count + excluded.count;
            END LOOP;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER stores_counted AFTER INSERT OR DELETE OR UPDATE OF status ON stores
            FOR EACH ROW EXECUTE FUNCTION store_status_counts_track();
        INSERT INTO store_status_counts (status, count) SELECT status, COUNT(*) FROM stores GROUP BY status;
        """,
        // One run of a cluster step per store at a time across instances (SQLite migration 9, ClusterStepRuns).
        """
        CREATE TABLE cluster_step_runs (
            store_name TEXT   NOT NULL PRIMARY KEY,
            run_id     TEXT   NOT NULL,
            held_until BIGINT NOT NULL
        );
        """,
        // The input a queued operation's release marks it started with (SQLite migration 10).
        """
        ALTER TABLE cluster_slots ADD COLUMN start_input TEXT NULL;
        """,
    ];

    // Arbitrary fixed keys of pg_advisory_xact_lock; any other user of the database must not pick the same ones.
    private const long MigrationLockKey = 0x53544F5245_01;
    private const long CreateLockKey = 0x53544F5245_02;
    private const long ClusterSlotsLockKey = 0x53544F5245_03;

    private readonly NpgsqlDataSource dataSource;
    private readonly SemaphoreSlim migrateLock = new(1, 1);
    private volatile bool migrated;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public static int LatestVersion => Migrations.Length;

    public override string Engine => "PostgreSQL";

    public override string Location { get; }

    public override int CodeSchemaVersion => LatestVersion;

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (!migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies pending migrations, all in one transaction with the version bump, one instance at a time.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (migrated)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
            var version = await ReadSchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (version > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL database at {Location} has schema version {version}, newer than this build understands ({LatestVersion}). Use a newer build or another database.");
            }

            for (var next = version; next < LatestVersion; next++)
            {
                await Sql.ExecuteAsync(connection, Migrations[next], cancellationToken).ConfigureAwait(false);
            }

            await Sql.ExecuteAsync(connection, "DELETE FROM schema_version", cancellationToken).ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, "INSERT INTO schema_version (version) VALUES (@v)", cancellationToken, ("@v", LatestVersion)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            migrated = true;
        }
        finally
        {
            migrateLock.Release();
        }
    }

    public override async Task<int> ReadSchemaVersionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        var exists = await Sql.ScalarAsync(connection, "SELECT to_regclass('schema_version') IS NOT NULL", cancellationToken).ConfigureAwait(false);
        return exists is true
            ? (int)Sql.Long(await Sql.ScalarAsync(connection, "SELECT MAX(version) FROM schema_version", cancellationToken).ConfigureAwait(false))
            : 0;
    }

    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    internal override Task LockCreatesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({CreateLockKey})", cancellationToken);

    internal override Task LockClusterSlotsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({ClusterSlotsLockKey})", cancellationToken);

    internal override string InsertionOrder => "seq";

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
