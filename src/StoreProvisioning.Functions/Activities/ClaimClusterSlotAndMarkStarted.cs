using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// <see cref="ClaimClusterSlot"/>, and once the operation holds a slot, <see cref="MarkOperationStarted"/>: the first
/// step of an install, upgrade or rollback started at <see cref="OrchestrationVersions.StartsOnAdmission"/> or later.
/// An operation queued behind others runs only this before it waits (its store stays NEW), and an admitted one starts
/// its cluster steps one activity sooner. Both halves are idempotent, so asking again after the wake-up is safe.
/// Database only.
/// </summary>
public sealed class ClaimClusterSlotAndMarkStarted(StepTelemetry telemetry, ClaimClusterSlot claim, MarkOperationStarted start) : StoreActivity<SlotRequest>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(SlotRequest input, CancellationToken cancellationToken)
    {
        var admission = await claim.RunAsync(input, cancellationToken);
        return admission.Succeeded ? await start.RunAsync(input.Operation, cancellationToken) : admission;
    }
}
