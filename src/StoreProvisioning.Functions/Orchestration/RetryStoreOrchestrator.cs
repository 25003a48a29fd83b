using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Re-runs the operation that failed (<see cref="StoreOperationInput.RetryOf"/>: install, upgrade or rollback) with its
/// recorded arguments. Every step is idempotent, so re-running from the first step is safe.
/// </summary>
public static class RetryStoreOrchestrator
{
    [Function(nameof(RetryStoreOrchestrator))]
    public static async Task Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException("RetryStoreOrchestrator needs a StoreOperationInput.");
        var log = context.CreateReplaySafeLogger(nameof(RetryStoreOrchestrator));
        await (input.Effective switch
        {
            StoreOperation.Upgrade => StoreWorkflow.UpgradeAsync(context, input, log),
            StoreOperation.Rollback => StoreWorkflow.RollbackAsync(context, input, log),
            _ => StoreWorkflow.InstallAsync(context, input, log),
        });
    }
}
