using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Uninstalls the release and deletes the namespace, recording partial failures, then removes the row regardless.</summary>
public static class DeleteStoreOrchestrator
{
    [Function(nameof(DeleteStoreOrchestrator))]
    public static async Task Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException("DeleteStoreOrchestrator needs a StoreOperationInput.");
        var log = context.CreateReplaySafeLogger(nameof(DeleteStoreOrchestrator));
        await StoreWorkflow.DeleteAsync(context, input, log);
    }
}
