using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>Runs the reconciler, then audit retention, on the RECONCILE_SCHEDULE timer (default every minute).</summary>
public sealed class ReconcileTimer(StoreReconciler reconciler, AuditRetention retention)
{
    [Function("ReconcileStores")]
    public async Task Run(
        [TimerTrigger("%RECONCILE_SCHEDULE%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        try
        {
            await reconciler.RunAsync(client, cancellationToken);
        }
        finally
        {
            await retention.PruneAsync(cancellationToken);
        }
    }
}
