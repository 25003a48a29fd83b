using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// `helm upgrade --install` with fresh credentials (first install or a retried one), after unlocking a stuck release.
/// Ends the store READY at the deployed revision, or FAILED with a diagnosis.
/// </summary>
public sealed class InstallRelease(StepTelemetry telemetry, ChartApply apply) : StoreActivity<StoreOperationInput>(telemetry)
{
    public override Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken) =>
        apply.RunAsync(input, StoreOperation.Install, cancellationToken);
}
