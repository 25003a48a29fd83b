using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace StoreProvisioning.TestServer;

/// <summary>
/// Serves the in-process host's public <see cref="TaskHubGrpcServer"/> (the durable "sidecar" the worker and client
/// talk to over gRPC) on its own HTTP/2 loopback port, over any DurableTask.Core orchestration service — here
/// DurableTask.AzureStorage's, so the test server runs on the storage provider Durable Functions uses under func.
/// </summary>
public sealed class GrpcSidecarHost(string address, IOrchestrationService service, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
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
        builder.Services.AddSingleton((IOrchestrationServiceClient)service);
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
