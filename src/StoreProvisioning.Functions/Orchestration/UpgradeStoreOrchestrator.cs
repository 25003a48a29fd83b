using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Re-applies the chart with the operator's overrides (helm rolls back on failure); READY at the new revision or FAILED.</summary>
public static class UpgradeStoreOrchestrator
{
    [Function(nameof(UpgradeStoreOrchestrator))]
    public static async Task Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException("UpgradeStoreOrchestrator needs a StoreOperationInput.");
        var log = context.CreateReplaySafeLogger(nameof(UpgradeStoreOrchestrator));
        await StoreWorkflow.UpgradeAsync(context, input, log);
    }
}
