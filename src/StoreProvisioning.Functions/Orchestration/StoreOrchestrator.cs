using Microsoft.DurableTask;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Notifications;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Base of the orchestrators of one operation: runs its steps (<see cref="RunStepsAsync"/>), then announces the
/// recorded outcome to the webhook without waiting for it (<see cref="StoreEvents.Announce"/>). The progress each step
/// reported (<see cref="OperationSteps.Report"/>) is cleared once the steps are done.
/// </summary>
public abstract class StoreOrchestrator : TaskOrchestrator<StoreOperationInput, StepOutcome>
{
    public sealed override async Task<StepOutcome> RunAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        var outcome = await RunStepsAsync(context, input);
        context.SetCustomStatus(null); // no step runs any more: no progress to show
        StoreEvents.Announce(context, input, outcome);
        return outcome;
    }

    /// <summary>The operation's steps, in order; returns the outcome the steps recorded on the store.</summary>
    protected abstract Task<StepOutcome> RunStepsAsync(TaskOrchestrationContext context, StoreOperationInput input);
}
