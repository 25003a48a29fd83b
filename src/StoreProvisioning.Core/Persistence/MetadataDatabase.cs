using System.Data.Common;

namespace StoreProvisioning.Persistence;

/// <summary>
/// The metadata store the repositories write to: SQLite (one instance, the embedded default) or PostgreSQL (several
/// instances). The repositories share their SQL and ADO.NET code; only what truly differs between the two engines is
/// here: how a connection opens and migrates, how a transaction begins, and the column that gives rows their order.
/// </summary>
public abstract class MetadataDatabase
{
    /// <summary>"SQLite" or "PostgreSQL", for health output and logs.</summary>
    public abstract string Engine { get; }

    /// <summary>Where the data lives, without credentials (a file path, or host/port/database).</summary>
    public abstract string Location { get; }

    /// <summary>The schema version this build writes on this engine.</summary>
    public abstract int CodeSchemaVersion { get; }

    /// <summary>An open connection; creates and migrates the schema on first use.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version recorded in the database the connection is open on.</summary>
    public abstract Task<int> ReadSchemaVersionAsync(DbConnection connection, CancellationToken cancellationToken = default);

    /// <summary>
    /// A transaction for a guarded write: SQLite takes the file's write lock up front (BEGIN IMMEDIATE); PostgreSQL runs
    /// READ COMMITTED, where a conditional UPDATE re-checks its WHERE on the newest row version (the row is the lock).
    /// </summary>
    internal abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Serializes creates across every instance for the rest of the transaction, so the name and cap checks and the
    /// insert are one step. SQLite's write transaction already holds the file's only write lock.
    /// </summary>
    internal abstract Task LockCreatesAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Serializes changes to the cluster slot queue across every instance for the rest of the transaction, so "who is
    /// among the first N" is read and changed as one step. SQLite's write transaction already holds the only write lock.
    /// </summary>
    internal abstract Task LockClusterSlotsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The column that orders rows by insertion (SQLite's rowid, PostgreSQL's identity column seq).</summary>
    internal abstract string InsertionOrder { get; }
}
