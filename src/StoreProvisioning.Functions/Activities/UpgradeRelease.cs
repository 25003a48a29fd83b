using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Re-applies the chart with the operator's overrides; helm rolls back by itself when the upgrade fails. Ends the
/// store READY at the new revision, or FAILED with a diagnosis.
/// </summary>
public sealed class UpgradeRelease(StepTelemetry telemetry, ChartApply apply) : StoreActivity<StoreOperationInput>(telemetry)
{
    public override Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken) =>
        apply.RunAsync(input, StoreOperation.Upgrade, cancellationToken);
}
