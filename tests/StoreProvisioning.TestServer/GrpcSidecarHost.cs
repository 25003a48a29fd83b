using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace StoreProvisioning.TestServer;

/// <summary>
/// Serves the in-process host's public <see cref="TaskHubGrpcServer"/> (the durable "sidecar" the worker and client
/// talk to over gRPC) on its own HTTP/2 loopback port, over any DurableTask.Core orchestration service — here
/// the in-memory one or DurableTask.AzureStorage's (the storage provider Durable Functions uses under func). The worker
/// takes work items from <paramref name="service"/>; the client (start, query, raise, terminate) goes to
/// <paramref name="client"/>, which may be the same storage without the work-item limits.
/// </summary>
public sealed class GrpcSidecarHost(string address, IOrchestrationService service, IOrchestrationServiceClient client, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? sidecar;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Queues, tables and blob leases of the task hub; a no-op when they exist (e.g. after a restart).
        await service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls(address);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (sidecar is not null)
        {
            await sidecar.StopAsync(cancellationToken);
        }

        await service.StopAsync(isForced: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }
    }
}
