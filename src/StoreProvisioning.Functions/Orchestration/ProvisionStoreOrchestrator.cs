using Microsoft.DurableTask;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Provisions a new store holding one cluster slot (<see cref="OperationSteps.StartWithClusterSlotAsync"/>: admitted,
/// the store moves NEW → PROVISIONING, install.started), in order: <see cref="EnsureNamespace"/>,
/// <see cref="InstallRelease"/> (READY at the deployed revision, or FAILED with a diagnosis). The first step that does
/// not succeed ends the operation; it has recorded why.
/// </summary>
public sealed class ProvisionStoreOrchestrator : StoreOrchestrator
{
    /// <summary>The operation's steps in order, as its progress reports them.</summary>
    public static readonly IReadOnlyList<string> Steps = [OperationSteps.ClusterSlotStep, nameof(EnsureNamespace), nameof(InstallRelease)];

    protected override async Task<StepOutcome> RunStepsAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        var steps = new OperationSteps(context, input, context.CreateReplaySafeLogger(nameof(ProvisionStoreOrchestrator)), Steps);
        return await steps.StartWithClusterSlotAsync(async () =>
        {
            if (await steps.RunAsync(nameof(EnsureNamespace)) is { Succeeded: false } ns)
            {
                return ns;
            }

            return await steps.RunAsync(nameof(InstallRelease), diagnoseOnTimeout: true);
        });
    }
}
