using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.TestServer;

/// <summary>
/// The durable engine behind the test server: the in-process DurableTaskTestHost sidecar (in-memory, default) with
/// the app's [Function] orchestrators and activities registered through the app's own <see cref="DurableFunctionRegistry"/>.
/// The worker and the client live in the web app's own service provider, so activities get the same singletons
/// (database, runner, concurrency limiter) as the HTTP functions.
/// </summary>
public static class DurableEngine
{
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration, System.Reflection.Assembly functionsAssembly)
    {
        var backend = (configuration["DURABLE_BACKEND"] ?? "memory").Trim().ToLowerInvariant();
        void Register(DurableTaskRegistry registry) => DurableFunctionRegistry.Register(registry, functionsAssembly);

        switch (backend)
        {
            case "memory" or "inmemory" or "in-memory" or "":
                services.AddInMemoryDurableTask(Register, new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
                break;
            default:
                throw new InvalidOperationException($"DURABLE_BACKEND='{backend}' is not known; use 'memory' (default) or 'azurite'.");
        }

        return services;
    }

    /// <summary>A port nobody listens on now, so several test servers can run side by side.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
