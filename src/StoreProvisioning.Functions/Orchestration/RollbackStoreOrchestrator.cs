using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Rolls the release back to the requested or last good revision; READY at the new revision, or FAILED with the reason.</summary>
public static class RollbackStoreOrchestrator
{
    [Function(nameof(RollbackStoreOrchestrator))]
    public static async Task Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException("RollbackStoreOrchestrator needs a StoreOperationInput.");
        var log = context.CreateReplaySafeLogger(nameof(RollbackStoreOrchestrator));
        await StoreWorkflow.RollbackAsync(context, input, log);
    }
}
