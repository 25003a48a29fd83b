using Microsoft.DurableTask;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Rolls a READY or FAILED store back holding one cluster slot (<see cref="OperationSteps.StartWithClusterSlotAsync"/>:
/// admitted, rollback.started): <see cref="RollbackRelease"/> (to the requested or last good revision; READY at the new
/// revision, or FAILED with the reason).
/// </summary>
public sealed class RollbackStoreOrchestrator : StoreOrchestrator
{
    /// <summary>The operation's steps in order, as its progress reports them.</summary>
    public static readonly IReadOnlyList<string> Steps = [OperationSteps.ClusterSlotStep, nameof(RollbackRelease)];

    protected override async Task<StepOutcome> RunStepsAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        var steps = new OperationSteps(context, input, context.CreateReplaySafeLogger(nameof(RollbackStoreOrchestrator)), Steps);
        return await steps.StartWithClusterSlotAsync(() => steps.RunAsync(nameof(RollbackRelease), diagnoseOnTimeout: true));
    }
}
