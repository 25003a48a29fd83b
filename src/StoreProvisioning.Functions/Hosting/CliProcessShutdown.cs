using Microsoft.Extensions.Hosting;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Functions.Hosting;

/// <summary>
/// Ties the CLI runner to the host's lifetime: when the host begins a graceful shutdown (SIGTERM, Ctrl+C), every helm
/// and kubectl process still running gets SIGTERM and, after TERMINATION_GRACE, SIGKILL; the host waits for them to
/// exit, so none is left behind as an orphan holding a release pending. The Functions app and the test server both
/// get it through <see cref="ServiceRegistration.AddStoreProvisioning"/>.
/// </summary>
public sealed class CliProcessShutdown(CliRunner runner, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires before any hosted service stops, so the processes get their SIGTERM at once rather
        // than after the durable worker has waited for the activities they block.
        registration = lifetime.ApplicationStopping.Register(() => _ = runner.StopAllAsync());
        return Task.CompletedTask;
    }

    /// <summary>Waits until every process has exited (idempotent: a second call only waits).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await registration.DisposeAsync();
        await runner.StopAllAsync(cancellationToken);
    }
}
