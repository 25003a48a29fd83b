using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>Runs the reconciler on the RECONCILE_SCHEDULE timer (default every minute).</summary>
public sealed class ReconcileTimer(StoreReconciler reconciler)
{
    [Function("ReconcileStores")]
    public Task Run(
        [TimerTrigger("%RECONCILE_SCHEDULE%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => reconciler.RunAsync(client, cancellationToken);
}
