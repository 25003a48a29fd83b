using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Hosting;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Tests.Infrastructure;

/// <summary>
/// One test's world: a temp folder with a SQLite file and the fake CLIs, the app's own service registration
/// (<see cref="ServiceRegistration.AddStoreProvisioning"/>) from settings, and the in-process durable engine running
/// the app's orchestrators and activities as <see cref="DurableTasks"/> registers them (the classes the Functions
/// triggers hand over to).
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    private Harness(string root, FakeCluster fakes, CapturingLoggerProvider logs, DurableTaskTestHost host)
    {
        Root = root;
        Fakes = fakes;
        Logs = logs;
        Host = host;
    }

    public string Root { get; }

    public FakeCluster Fakes { get; }

    public CapturingLoggerProvider Logs { get; }

    public DurableTaskTestHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public StoreRepository Repository => Services.GetRequiredService<StoreRepository>();

    public StoreService Stores => Services.GetRequiredService<StoreService>();

    public StoreQueries Queries => Services.GetRequiredService<StoreQueries>();

    public StoreProvisioningOptions Options => Services.GetRequiredService<StoreProvisioningOptions>();

    /// <summary>Every orchestration this harness ran, with serialized inputs and outputs (what the durable history keeps).</summary>
    public List<OrchestrationMetadata> Orchestrations { get; } = [];

    /// <summary>Starts a world. <paramref name="settings"/> are app settings (HELM_TIMEOUT, PROVISION_CONCURRENCY, ...).</summary>
    public static async Task<Harness> StartAsync(
        Action<FakeCluster>? fakes = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var root = Directory.CreateTempSubdirectory("fn-tests-").FullName;
        var cluster = new FakeCluster(root);
        fakes?.Invoke(cluster);
        var values = new Dictionary<string, string?>
        {
            ["SQLITE_PATH"] = Path.Combine(root, "stores.db"),
            ["HELM_PATH"] = cluster.HelmPath,
            ["KUBECTL_PATH"] = cluster.KubectlPath,
            ["CHARTS_ROOT"] = RepositoryFiles.Path("helm"),
            ["HELM_TIMEOUT"] = "30s",
            ["TERMINATION_GRACE"] = "2s",
            ["QUERY_TIMEOUT"] = "15s",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new CapturingLoggerProvider();
        var host = await DurableTaskTestHost.StartAsync(
            registry => DurableTasks.Register(registry),
            new DurableTaskTestHostOptions
            {
                Port = NodeTool.FreePort(),
                ConfigureServices = s =>
                {
                    s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
                    s.AddStoreProvisioning(configuration);
                    services?.Invoke(s);
                },
            });
        return new Harness(root, cluster, logs, host);
    }

    /// <summary>Creates a store through the application service (as POST /api/stores does).</summary>
    public async Task<Store> CreateAsync(string name, StoreEngine engine = StoreEngine.WooCommerce, string user = "alice")
    {
        var created = await Stores.CreateAsync(Callers.Operator, new CreateStoreRequest(name, user, engine));
        Assert.True(created.IsOk);
        return created.Value!;
    }

    /// <summary>
    /// Runs the orchestration of the store's current operation to completion, as the API launches it (at
    /// <paramref name="version"/>: an older one replays the step order of an orchestration started before a deploy),
    /// in the trace of <paramref name="traceParent"/> when given.
    /// </summary>
    public async Task<Store?> RunAsync(
        Store store, TimeSpan? deadline = null, TimeSpan? wait = null, string version = OrchestrationVersions.Current, string? traceParent = null)
    {
        var input = OperationLauncher.InputFor(store, deadline ?? Options.OperationDeadline, Options.NotifyWebhookUrl is not null, traceParent);
        var instance = await Host.Client.ScheduleNewOrchestrationInstanceAsync(
            OperationLauncher.OrchestratorFor(store.Operation!.Value), input,
            OperationLauncher.StartOptions(OperationLauncher.InstanceIdFor(store)) with { Version = version });
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(60));
        var metadata = await Host.Client.WaitForInstanceCompletionAsync(instance, getInputsAndOutputs: true, timeout.Token);
        lock (Orchestrations)
        {
            Orchestrations.Add(metadata);
        }

        Assert.True(
            metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"orchestration {instance} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return await Repository.GetAsync(store.Name);
    }

    /// <summary>Create + provision.</summary>
    public async Task<Store?> ProvisionAsync(string name, StoreEngine engine = StoreEngine.WooCommerce) => await RunAsync(await CreateAsync(name, engine));

    public async Task<Store?> UpgradeAsync(string name, string? valuesJson = null)
    {
        // Orchestration tests drive the operator's path: the tenant boundary itself is tested in Core and over HTTP.
        var accepted = await Stores.UpgradeAsync(Callers.Operator, name, valuesJson);
        Assert.True(accepted.IsOk, accepted.Refusal?.Detail);
        return await RunAsync(accepted.Value!);
    }

    public async Task<Store?> RollbackAsync(string name, int? revision = null)
    {
        var accepted = await Stores.RollbackAsync(Callers.Operator, name, revision);
        Assert.True(accepted.IsOk, accepted.Refusal?.Detail);
        return await RunAsync(accepted.Value!);
    }

    public async Task<Store?> RetryAsync(string name)
    {
        var accepted = await Stores.RetryAsync(Callers.Operator, name);
        Assert.True(accepted.IsOk, accepted.Refusal?.Detail);
        return await RunAsync(accepted.Value!);
    }

    public async Task<Store?> DeleteAsync(string name)
    {
        var accepted = await Stores.DeleteAsync(Callers.Operator, name);
        Assert.True(accepted.IsOk, accepted.Refusal?.Detail);
        return await RunAsync(accepted.Value!);
    }

    public async Task<IReadOnlyList<ActivityEntry>> AuditAsync(string name) => await Queries.ListActivityAsync(500, name);

    public async Task<IReadOnlyList<string>> ActionsAsync(string name) => (await AuditAsync(name)).Reverse().Select(a => a.Action).ToList();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
