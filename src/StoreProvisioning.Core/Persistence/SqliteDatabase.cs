using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace StoreProvisioning.Persistence;

/// <summary>
/// Opens connections to the SQLite file and keeps its schema current. WAL lets readers run beside the writer;
/// the busy timeout makes concurrent writers wait their turn instead of failing.
/// </summary>
public sealed class SqliteDatabase : MetadataDatabase
{
    /// <summary>Each entry moves the schema one version up; never edit a shipped entry, append a new one.</summary>
    private static readonly string[] Migrations =
    [
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
            created_at       INTEGER NOT NULL,
            updated_at       INTEGER NOT NULL
        );
        CREATE INDEX ix_stores_user ON stores (user_id);
        CREATE INDEX ix_stores_status ON stores (status);
        CREATE TABLE activity (
            id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            store_name   TEXT    NOT NULL,
            user_id      TEXT    NULL,
            action       TEXT    NOT NULL,
            detail       TEXT    NULL,
            timestamp    INTEGER NOT NULL,
            operation_id TEXT    NULL,
            duration_ms  INTEGER NULL
        );
        CREATE INDEX ix_activity_store ON activity (store_name, id);
        CREATE INDEX ix_activity_action ON activity (action);
        """,
        // Identity: API keys (hash + lookup prefix, never the key) and who made each audited request.
        """
        CREATE TABLE api_keys (
            id         TEXT    NOT NULL PRIMARY KEY,
            prefix     TEXT    NOT NULL,
            hash       BLOB    NOT NULL,
            user_id    TEXT    NOT NULL,
            role       TEXT    NOT NULL,
            name       TEXT    NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NULL
        );
        CREATE INDEX ix_api_keys_prefix ON api_keys (prefix);
        ALTER TABLE activity ADD COLUMN actor TEXT NULL;
        CREATE INDEX ix_activity_user ON activity (user_id, id);
        """,
        // Tenant boundary: the plan a store runs on.
        """
        ALTER TABLE stores ADD COLUMN plan TEXT NOT NULL DEFAULT 'small';
        """,
        // Scale: keyset paging of the store list, audit retention by age, and cumulative counters kept beside the audit
        // rows (same transaction) so pruning old rows leaves the metrics unchanged. Backfilled from the rows there are.
        """
        CREATE INDEX ix_stores_created ON stores (created_at);
        CREATE INDEX ix_stores_user_created ON stores (user_id, created_at);
        CREATE INDEX ix_activity_timestamp ON activity (timestamp);
        CREATE TABLE audit_counters (
            user_id           TEXT    NOT NULL,
            action            TEXT    NOT NULL,
            count             INTEGER NOT NULL,
            duration_ms_total INTEGER NOT NULL,
            duration_count    INTEGER NOT NULL,
            PRIMARY KEY (user_id, action)
        );
        INSERT INTO audit_counters (user_id, action, count, duration_ms_total, duration_count)
        SELECT COALESCE(user_id, ''), action, COUNT(*), COALESCE(SUM(duration_ms), 0), COUNT(duration_ms) FROM activity GROUP BY COALESCE(user_id, ''), action;
        """,
        // Cluster slot queue: one row per operation that holds or waits for a cluster slot, in arrival order (seq).
        """
        CREATE TABLE cluster_slots (
            seq          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            operation_id TEXT    NOT NULL UNIQUE,
            store_name   TEXT    NOT NULL,
            instance_id  TEXT    NOT NULL,
            enqueued_at  INTEGER NOT NULL
        );
        """,
        // Observability: when the store's current operation was accepted, and one row per finished operation (its
        // owner kept, so a user's durations cover their own stores even after a store is deleted). Pruned with the audit rows.
        """
        ALTER TABLE stores ADD COLUMN operation_started_at INTEGER NULL;
        UPDATE stores SET operation_started_at = COALESCE(
            (SELECT MIN(a.timestamp) FROM activity a WHERE a.store_name = stores.name AND a.operation_id = stores.operation_id), updated_at);
        CREATE TABLE operation_runs (
            id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            operation_id TEXT    NOT NULL UNIQUE,
            store_name   TEXT    NOT NULL,
            user_id      TEXT    NOT NULL,
            operation    TEXT    NOT NULL,
            result       TEXT    NOT NULL,
            started_at   INTEGER NOT NULL,
            finished_at  INTEGER NOT NULL,
            duration_ms  INTEGER NOT NULL
        );
        CREATE INDEX ix_operation_runs_finished ON operation_runs (finished_at);
        CREATE INDEX ix_operation_runs_user_finished ON operation_runs (user_id, finished_at);
        """,
        // Traces: the W3C trace id of the operation that wrote the row (null for rows from before, or outside a trace).
        """
        ALTER TABLE activity ADD COLUMN trace_id TEXT NULL;
        """,
        // Stores by status, kept by the database beside the rows: the metrics and the total cap read a handful of
        // rows instead of counting every store.
        """
        CREATE TABLE store_status_counts (
            status TEXT    NOT NULL PRIMARY KEY,
            count  INTEGER NOT NULL
        );
        INSERT INTO store_status_counts (status, count) SELECT status, COUNT(*) FROM stores GROUP BY status;
        CREATE TRIGGER stores_counted_on_insert AFTER INSERT ON stores BEGIN
            INSERT INTO store_status_counts (status, count) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER stores_counted_on_status AFTER UPDATE OF status ON stores WHEN OLD.status IS NOT NEW.status BEGIN
            UPDATE store_status_counts SET count = count - 1 WHERE status = OLD.status;
            INSERT INTO store_status_counts (status, count) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER stores_counted_on_delete AFTER DELETE ON stores BEGIN
            UPDATE store_status_counts SET count = count - 1 WHERE status = OLD.status;
        END;
        """,
        // One run of a cluster step per store at a time across instances (ClusterStepRuns): the run that holds the
        // store's row and until when (Unix ms) its lease lasts.
        """
        CREATE TABLE cluster_step_runs (
            store_name TEXT    NOT NULL PRIMARY KEY,
            run_id     TEXT    NOT NULL,
            held_until INTEGER NOT NULL
        );
        """,
        // What a queued operation asks its release to do for it (ClusterSlotQueue.ClaimAsync's startInput): the
        // operation's input, so the release that admits it can also mark it started. Null: only wake it.
        """
        ALTER TABLE cluster_slots ADD COLUMN start_input TEXT NULL;
        """,
    ];

    private readonly string connectionString;
    private readonly SemaphoreSlim migrateLock = new(1, 1);
    private volatile bool migrated;

    public SqliteDatabase(string path)
    {
        Path = path;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The schema version this code writes.</summary>
    public static int LatestVersion => Migrations.Length;

    public override string Engine => "SQLite";

    public override string Location => Path;

    public override int CodeSchemaVersion => LatestVersion;

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    public override Task<int> ReadSchemaVersionAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        SchemaVersionAsync((SqliteConnection)connection, cancellationToken);

    // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for deferred: the writer holds the file's write lock throughout.
    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    internal override Task LockClusterSlotsAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    internal override Task LockCreatesAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    internal override string InsertionOrder => "rowid";

    /// <summary>An open connection with the per-connection pragmas set; creates and migrates the file on first use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the file and applies pending migrations, each in its own transaction with the version bump.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (migrated)
            {
                return;
            }

            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = await SchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false);
                if (version > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The database at {Path} has schema version {version}, newer than this build understands ({LatestVersion}). Use a newer build or another SQLITE_PATH.");
                }

                for (var next = version; next < LatestVersion; next++)
                {
                    await ExecuteAsync(connection, Migrations[next], cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, $"PRAGMA user_version = {next + 1};", cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            migrated = true;
        }
        finally
        {
            migrateLock.Release();
        }
    }

    /// <summary>PRAGMA user_version: 0 for a new file.</summary>
    public static async Task<int> SchemaVersionAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
