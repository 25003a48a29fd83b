using Microsoft.DurableTask;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Re-runs the operation that failed (<see cref="StoreOperationInput.Runs"/>, as the failure recorded it on the row)
/// with its recorded arguments: the same steps as that operation's own orchestrator. Every step is idempotent, so
/// starting again from the first one is safe.
/// </summary>
public sealed class RetryStoreOrchestrator : TaskOrchestrator<StoreOperationInput, StepOutcome>
{
    public override Task<StepOutcome> RunAsync(TaskOrchestrationContext context, StoreOperationInput input) => input.Runs switch
    {
        StoreOperation.Install => new ProvisionStoreOrchestrator().RunAsync(context, input),
        StoreOperation.Upgrade => new UpgradeStoreOrchestrator().RunAsync(context, input),
        StoreOperation.Rollback => new RollbackStoreOrchestrator().RunAsync(context, input),
        var other => throw new InvalidOperationException($"A retry re-runs an install, upgrade or rollback, not {other}."),
    };
}
