using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
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
/// In both, the service is served to the worker and the client by the in-process host's gRPC sidecar
/// (<see cref="GrpcSidecarHost"/>) with the Functions host's activity and orchestrator concurrency
/// (<see cref="HostConcurrencyLimits"/>), and the worker and the client live in the web app's own service provider, so
/// activities get the same singletons (database, runner, concurrency limiter) as the HTTP functions.
/// </summary>
public static class DurableEngine
{
    /// <summary>The app's host.json, copied next to the build output.</summary>
    private static string HostJsonPath => Path.Combine(AppContext.BaseDirectory, "host.json");

    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration)
    {
        var backend = (configuration["DURABLE_BACKEND"] ?? "memory").Trim().ToLowerInvariant();
        Func<IServiceProvider, IOrchestrationService> storage = backend switch
        {
            "memory" or "inmemory" or "in-memory" or "" => sp => new InMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>()),
            "azurite" or "azurestorage" or "azure-storage" => sp => CreateAzureStorageService(configuration, sp.GetRequiredService<ILoggerFactory>()),
            _ => throw new InvalidOperationException($"DURABLE_BACKEND='{backend}' is not known; use 'memory' (default) or 'azurite'."),
        };

        // The host's activity and orchestrator concurrency (host.json next to the build output, app settings over it).
        var concurrency = HostConcurrency.From(configuration, HostJsonPath);
        var address = $"http://localhost:{FreeLoopbackPort()}";
        services.AddSingleton<IOrchestrationService>(storage);
        services.AddHostedService(sp =>
        {
            var service = sp.GetRequiredService<IOrchestrationService>();
            return new GrpcSidecarHost(address, new HostConcurrencyLimits(service, concurrency), (IOrchestrationServiceClient)service, sp.GetRequiredService<ILoggerFactory>());
        });
        // The host's orchestration version (host.json's defaultVersion): new orchestrations without a version of their
        // own get it, and the worker refuses (leaves queued) orchestrations newer than it (CurrentOrOlder, Reject).
        var version = HostDurableSetting.Read(configuration, HostJsonPath, "defaultVersion");
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(address);
            worker.AddTasks(registry => DurableTasks.Register(registry));
            if (version is not null)
            {
                worker.UseVersioning(new DurableTaskWorkerOptions.VersioningOptions
                {
                    Version = version,
                    DefaultVersion = version,
                    MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
                    FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
                });
            }
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(address);
            client.RegisterDirectly();
            if (version is not null)
            {
                client.UseDefaultVersion(version);
            }
        });
        return services;
    }

    /// <summary>
    /// The Azure Storage provider with test-friendly timings. A work item whose worker died becomes visible again after
    /// its queue message's visibility timeout, so a restarted server resumes an interrupted activity only then:
    /// DURABLE_VISIBILITY_TIMEOUT (default 10s here; the provider's and Durable Functions' default is 5 minutes) sets
    /// both WorkItemQueueVisibilityTimeout and ControlQueueVisibilityTimeout. DURABLE_TASK_HUB names the hub
    /// (default TestServerHub). Queue polling backs off to at most host.json's maxQueuePollingInterval
    /// (<see cref="HostQueuePolling"/>), and the control queues are <c>storageProvider.partitionCount</c> (4 when unset), as under the host.
    /// </summary>
    public static AzureStorageOrchestrationService CreateAzureStorageService(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var connectionString = configuration["AzureWebJobsStorage"] is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";
        var visibility = Duration(configuration, "DURABLE_VISIBILITY_TIMEOUT", TimeSpan.FromSeconds(10));
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = configuration["DURABLE_TASK_HUB"] is { Length: > 0 } hub ? hub : "TestServerHub",
            PartitionCount = HostPartitionCount.From(configuration, HostJsonPath),
            WorkItemQueueVisibilityTimeout = visibility,
            ControlQueueVisibilityTimeout = visibility,
            MaxQueuePollingInterval = HostQueuePolling.From(configuration, HostJsonPath),
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
