using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Notifications;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Stops an operation the store row has just recorded as cancelled: terminates its orchestration (and any re-drive of
/// it), then stops the helm/kubectl processes running for the store (SIGTERM, SIGKILL after TERMINATION_GRACE), then
/// gives back its cluster slot (or its place in the queue) and wakes the operation that admits, and last announces the
/// FAILED store to the webhook (NOTIFY_WEBHOOK_URL), as an operation's own outcome is.
/// Best effort by design: the new operation id on the row already fences off anything the old operation still reports.
/// </summary>
public sealed class OperationCanceller(
    CliRunner runner, ClusterSlotQueue slots, StoreProvisioningOptions options, TimeProvider clock, ILogger<OperationCanceller> logger)
{
    public async Task StopAsync(DurableTaskClient client, Cancellation cancelled, CancellationToken cancellationToken)
    {
        var store = cancelled.Store;
        var prefix = OperationLauncher.InstanceIdFor(store with { OperationId = cancelled.CancelledOperationId });
        try
        {
            var query = new OrchestrationQuery { InstanceIdPrefix = prefix, PageSize = 20 };
            await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            {
                if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
                {
                    await client.TerminateInstanceAsync(instance.InstanceId, store.Error, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Terminated orchestration {InstanceId} of store {Store}", instance.InstanceId, store.Name);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not terminate the orchestration {Prefix}* of store {Store}; its steps are fenced off anyway", prefix, store.Name);
        }

        var stopped = await runner.CancelScopeAsync(store.Namespace, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Cancelled {Operation} of store {Store}: {Count} CLI process(es) stopped", cancelled.CancelledOperation, store.Name, stopped);

        // Only now: the slot is free once no process of the cancelled operation runs any more.
        var admitted = await slots.ReleaseAsync(cancelled.CancelledOperationId, options.ProvisionConcurrency, cancellationToken).ConfigureAwait(false);
        await ClusterSlot.WakeAsync(client, admitted, cancelled.CancelledOperationId, cancellationToken).ConfigureAwait(false);

        await StoreEvents.AnnounceFailedAsync(
            client, options, logger, store, cancelled.CancelledOperation, "cancel", clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }
}
