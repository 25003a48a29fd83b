using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using StoreProvisioning.Functions.Hosting;

namespace StoreProvisioning.TestServer;

/// <summary>
/// The durable engine behind the test server, with the app's orchestrators and activities registered as
/// <see cref="DurableTasks"/> lists them (the classes the Functions triggers hand over to). DURABLE_BACKEND picks the storage:
/// <list type="bullet">
/// <item><c>memory</c> (default): the in-process test host's in-memory orchestration service. Fast; nothing survives a restart.</item>
/// <item><c>azurite</c>: DurableTask.AzureStorage — the provider Durable Functions uses under func — against Azurite
/// (or any storage account) at <c>AzureWebJobsStorage</c> (default <c>UseDevelopmentStorage=true</c>). Orchestrations
/// survive kill -9 and resume after a restart.</item>
/// </list>
/// In both, the worker and the client live in the web app's own service provider, so activities get the same
/// singletons (database, runner, concurrency limiter) as the HTTP functions.
/// </summary>
public static class DurableEngine
{
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration, System.Reflection.Assembly functionsAssembly)
    {
        var backend = (configuration["DURABLE_BACKEND"] ?? "memory").Trim().ToLowerInvariant();
        void Register(DurableTaskRegistry registry) => DurableTasks.Register(registry);

        switch (backend)
        {
            case "memory" or "inmemory" or "in-memory" or "":
                services.AddInMemoryDurableTask(Register, new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
                break;
            case "azurite" or "azurestorage" or "azure-storage":
                var address = $"http://localhost:{FreeLoopbackPort()}";
                services.AddSingleton(sp => CreateAzureStorageService(configuration, sp.GetRequiredService<ILoggerFactory>()));
                services.AddHostedService(sp => new GrpcSidecarHost(address, sp.GetRequiredService<AzureStorageOrchestrationService>(), sp.GetRequiredService<ILoggerFactory>()));
                services.AddDurableTaskWorker(worker =>
                {
                    worker.UseGrpc(address);
                    worker.AddTasks(Register);
                });
                services.AddDurableTaskClient(client =>
                {
                    client.UseGrpc(address);
                    client.RegisterDirectly();
                });
                break;
            default:
                throw new InvalidOperationException($"DURABLE_BACKEND='{backend}' is not known; use 'memory' (default) or 'azurite'.");
        }

        return services;
    }

    /// <summary>
    /// The Azure Storage provider with test-friendly timings. A work item whose worker died becomes visible again after
    /// its queue message's visibility timeout, so a restarted server resumes an interrupted activity only then:
    /// DURABLE_VISIBILITY_TIMEOUT (default 10s here; the provider's and Durable Functions' default is 5 minutes) sets
    /// both WorkItemQueueVisibilityTimeout and ControlQueueVisibilityTimeout. DURABLE_TASK_HUB names the hub
    /// (default TestServerHub); DURABLE_POLLING_INTERVAL caps queue polling (default 1s; provider default 30s).
    /// </summary>
    public static AzureStorageOrchestrationService CreateAzureStorageService(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var connectionString = configuration["AzureWebJobsStorage"] is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";
        var visibility = Duration(configuration, "DURABLE_VISIBILITY_TIMEOUT", TimeSpan.FromSeconds(10));
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = configuration["DURABLE_TASK_HUB"] is { Length: > 0 } hub ? hub : "TestServerHub",
            PartitionCount = 1,
            WorkItemQueueVisibilityTimeout = visibility,
            ControlQueueVisibilityTimeout = visibility,
            MaxQueuePollingInterval = Duration(configuration, "DURABLE_POLLING_INTERVAL", TimeSpan.FromSeconds(1)),
            LoggerFactory = loggerFactory,
        };
        return new AzureStorageOrchestrationService(settings);
    }

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is { Length: > 0 } text
            ? StoreProvisioning.Configuration.StoreProvisioningOptions.TryParseDuration(text, out var value) ? value : throw new InvalidOperationException($"{key}='{text}' is not a duration (e.g. 10s).")
            : fallback;

    /// <summary>A port nobody listens on now, so several test servers can run side by side.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
