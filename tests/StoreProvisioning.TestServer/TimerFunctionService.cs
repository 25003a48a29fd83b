using StoreProvisioning.Configuration;

namespace StoreProvisioning.TestServer;

/// <summary>
/// Runs the app's timer-triggered functions (the reconciler) every RECONCILE_INTERVAL, found by reflection like the
/// HTTP functions. The Functions host would use the attribute's schedule; the test server uses the configured
/// interval so tests can shorten it. RunOnStartup is honoured; otherwise the first run is one interval after start.
/// </summary>
public sealed class TimerFunctionService(
    IReadOnlyList<TimerFunction> functions,
    IServiceScopeFactory scopes,
    StoreProvisioningOptions options,
    ILogger<TimerFunctionService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => RunAsync(f, new FunctionInvoker(f.Type, f.Method), stoppingToken)));

    private async Task RunAsync(TimerFunction function, FunctionInvoker invoker, CancellationToken stoppingToken)
    {
        logger.LogInformation("Timer function {Function} runs every {Interval}", function.Name, options.ReconcileInterval);
        try
        {
            if (function.Trigger.RunOnStartup)
            {
                await InvokeAsync(function, invoker, stoppingToken);
            }

            using var timer = new PeriodicTimer(options.ReconcileInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await InvokeAsync(function, invoker, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task InvokeAsync(TimerFunction function, FunctionInvoker invoker, CancellationToken stoppingToken)
    {
        // One scope per invocation, as the Functions worker does; a failed run is logged and the next one still comes.
        await using var scope = scopes.CreateAsyncScope();
        using var span = InvocationSpan.Start(function.Name);
        try
        {
            await invoker.InvokeAsync(new Invocation(scope.ServiceProvider, stoppingToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Timer function {Function} failed", function.Name);
        }
    }
}
