using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Provisions a new store: namespace (NEW → PROVISIONING), then helm install; READY at the deployed revision or FAILED with a diagnosis.</summary>
public static class ProvisionStoreOrchestrator
{
    [Function(nameof(ProvisionStoreOrchestrator))]
    public static async Task Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException("ProvisionStoreOrchestrator needs a StoreOperationInput.");
        var log = context.CreateReplaySafeLogger(nameof(ProvisionStoreOrchestrator));
        await StoreWorkflow.InstallAsync(context, input, log);
    }
}
