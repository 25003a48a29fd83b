using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Joins the cluster-wide slot queue (<see cref="ClusterSlotQueue"/>) before an operation's first cluster step and
/// says whether it is admitted: Succeeded (holds a slot), Queued (behind earlier operations), or Superseded (the store
/// moved on). Idempotent per operation: asking again keeps the place in the queue. Database only.
/// </summary>
public sealed class ClaimClusterSlot(StepTelemetry telemetry, StoreRepository repository, ClusterSlotQueue queue, StoreProvisioningOptions options) : StoreActivity<SlotRequest>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(SlotRequest input, CancellationToken cancellationToken)
    {
        var operation = input.Operation;
        if (StepFence.Owns(await repository.GetAsync(operation.StoreName, cancellationToken), operation) is { } moved)
        {
            return moved;
        }

        var startInput = input.StartedByRelease ? ReleaseClusterSlotAndStartNext.StartInput(operation) : null;
        return await queue.ClaimAsync(operation.OperationId, operation.StoreName, input.InstanceId, options.ProvisionConcurrency, startInput, cancellationToken)
            ? StepOutcome.Ok(note: "holds a cluster slot")
            : new StepOutcome(StepResult.Queued, "queued for a cluster slot");
    }
}
