using Microsoft.Data.Sqlite;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>A real SQLite file in a temp folder with a repository on it, and helpers to put stores into each status.</summary>
public sealed class RepositoryHarness : IDisposable
{
    private readonly TempDirectory dir = new();

    public RepositoryHarness()
    {
        DatabasePath = Path.Combine(dir.Path, "data", "stores.db");
        Database = new SqliteDatabase(DatabasePath);
        Repository = new StoreRepository(Database, Clock);
        Queries = new StoreQueries(Database);
    }

    public string DatabasePath { get; }

    public ManualClock Clock { get; } = new();

    public SqliteDatabase Database { get; }

    public StoreRepository Repository { get; }

    public StoreQueries Queries { get; }

    /// <summary>A second, independent database object and repository on the same file, as another process would have.</summary>
    public StoreRepository OpenAnother() => new(new SqliteDatabase(DatabasePath), Clock);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        dir.Dispose();
    }

    /// <summary>Runs one scalar query on a plain connection of its own (not the repository's).</summary>
    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
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
