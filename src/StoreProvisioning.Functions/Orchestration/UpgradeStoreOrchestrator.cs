using Microsoft.DurableTask;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Upgrades a READY or FAILED store holding one cluster slot (<see cref="OperationSteps.StartWithClusterSlotAsync"/>:
/// admitted, upgrade.started), in order: <see cref="EnsureNamespace"/>, <see cref="UpgradeRelease"/> (re-applies the
/// chart with the operator's overrides; helm rolls back by itself on failure; READY at the new revision, or FAILED with
/// a diagnosis).
/// </summary>
public sealed class UpgradeStoreOrchestrator : StoreOrchestrator
{
    /// <summary>The operation's steps in order, as its progress reports them.</summary>
    public static readonly IReadOnlyList<string> Steps = [OperationSteps.ClusterSlotStep, nameof(EnsureNamespace), nameof(UpgradeRelease)];

    protected override async Task<StepOutcome> RunStepsAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        var steps = new OperationSteps(context, input, context.CreateReplaySafeLogger(nameof(UpgradeStoreOrchestrator)), Steps);
        return await steps.StartWithClusterSlotAsync(async () =>
        {
            if (await steps.RunAsync(nameof(EnsureNamespace)) is { Succeeded: false } ns)
            {
                return ns;
            }

            return await steps.RunAsync(nameof(UpgradeRelease), diagnoseOnTimeout: true);
        });
    }
}
