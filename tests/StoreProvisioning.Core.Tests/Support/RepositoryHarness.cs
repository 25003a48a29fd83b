using Microsoft.Data.Sqlite;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>
/// A real metadata database with a repository on it, and helpers to put stores into each status: by default a SQLite
/// file in a temp folder; <see cref="OnPostgres"/> gives a fresh schema in the PostgreSQL that scripts/with-postgres.sh
/// started (see <see cref="PostgresTestServer"/>).
/// </summary>
public sealed class RepositoryHarness : IDisposable
{
    private readonly TempDirectory? dir;
    private readonly PostgresTestServer.Schema? schema;

    public RepositoryHarness()
    {
        dir = new TempDirectory();
        DatabasePath = Path.Combine(dir.Path, "data", "stores.db");
        Database = OpenAnotherDatabase();
        Repository = new StoreRepository(Database, Clock, Runs);
        Queries = new StoreQueries(Database);
    }

    private RepositoryHarness(PostgresTestServer.Schema schema)
    {
        this.schema = schema;
        DatabasePath = "(PostgreSQL schema " + schema.Name + ")";
        Database = OpenAnotherDatabase();
        Repository = new StoreRepository(Database, Clock, Runs);
        Queries = new StoreQueries(Database);
    }

    /// <summary>The same harness on a fresh schema of the test PostgreSQL; fails (never skips) when there is none.</summary>
    public static RepositoryHarness OnPostgres() => new(PostgresTestServer.CreateSchema());

    public bool IsPostgres => schema is not null;

    public string DatabasePath { get; }

    public ManualClock Clock { get; } = new();

    public MetadataDatabase Database { get; }

    /// <summary>The SQLite database object, for the SQLite-only tests of the file itself.</summary>
    public SqliteDatabase Sqlite => (SqliteDatabase)Database;

    public StoreRepository Repository { get; }

    public StoreQueries Queries { get; }

    /// <summary>Every operation run <see cref="Repository"/> reported once committed.</summary>
    public RecordingRunObserver Runs { get; } = new();

    public ObservabilityQueries Observability => new(Database, Clock);

    /// <summary>A second, independent database object on the same data, as another process would have.</summary>
    public MetadataDatabase OpenAnotherDatabase() => schema is null ? new SqliteDatabase(DatabasePath) : schema.Open();

    /// <summary>A second, independent database object and repository on the same data, as another process would have.</summary>
    public StoreRepository OpenAnother() => new(OpenAnotherDatabase(), Clock);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        schema?.Dispose();
        dir?.Dispose();
    }

    /// <summary>Runs one scalar query on a plain connection of its own (not the repository's). Parameters are written $name.</summary>
    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        if (schema is not null)
        {
            return schema.Scalar(sql, parameters);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    public long Count(string sql, params (string Name, object Value)[] parameters) => Convert.ToInt64(Scalar(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The counts by status the database keeps (store_status_counts) agree with the rows, for every status.</summary>
    public void AssertStatusCountsMatchRows()
    {
        foreach (var status in Enum.GetValues<StoreStatus>().Select(s => s.Name()))
        {
            Assert.Equal(
                (status, Count("SELECT COUNT(*) FROM stores WHERE status = $s", ("$s", status))),
                (status, Count("SELECT COALESCE(SUM(count), 0) FROM store_status_counts WHERE status = $s", ("$s", status))));
        }
    }

    public async Task<Store> CreateAsync(string name, string user = "alice", StoreEngine engine = StoreEngine.WooCommerce, int max = 10)
    {
        var result = await Repository.CreateAsync(name, user, engine, max);
        Assert.Equal(CreateOutcome.Created, result.Outcome);
        return result.Store!;
    }

    public async Task<Store> ProvisioningAsync(string name, string user = "alice")
    {
        var created = await CreateAsync(name, user);
        var begun = await Repository.BeginInstallAsync(name, created.OperationId!, new ActivityDraft(AuditActions.InstallStarted));
        Assert.True(begun.Applied);
        return begun.Store!;
    }

    public async Task<Store> ReadyAsync(string name, string user = "alice", int revision = 1)
    {
        var provisioning = await ProvisioningAsync(name, user);
        var done = await Repository.SucceedAsync(name, provisioning.OperationId!, revision, new ActivityDraft(AuditActions.InstallSucceeded, null, TimeSpan.FromSeconds(42)));
        Assert.True(done.Applied);
        return done.Store!;
    }

    public async Task<Store> FailedAsync(string name, string user = "alice")
    {
        var provisioning = await ProvisioningAsync(name, user);
        var failed = await Repository.FailAsync(name, provisioning.OperationId!, "helm install failed", new ActivityDraft(AuditActions.InstallFailed, "boom"));
        Assert.True(failed.Applied);
        return failed.Store!;
    }

    public async Task<Store> DeletingAsync(string name, string user = "alice")
    {
        var ready = await ReadyAsync(name, user);
        var deleting = await Repository.BeginOperationAsync(name, LifecycleCommand.Delete, StoreOperation.Delete, null, new ActivityDraft(AuditActions.DeleteRequested));
        Assert.True(deleting.Applied);
        return deleting.Store!;
    }
}
