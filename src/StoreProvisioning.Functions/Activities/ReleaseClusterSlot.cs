using Microsoft.DurableTask;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Gives the operation's cluster slot back after its last cluster step (whatever the outcome) and returns the
/// orchestration instances this admitted, which the orchestrator then wakes. Idempotent. Database only. The release of
/// orchestrations started before version 3; since, <see cref="ReleaseClusterSlotAndStartNext"/>.
/// </summary>
public sealed class ReleaseClusterSlot(StepTelemetry telemetry, ClusterSlotQueue queue, StoreProvisioningOptions options) : TaskActivity<StoreOperationInput, string[]>
{
    public override Task<string[]> RunAsync(TaskActivityContext context, StoreOperationInput input) => RunAsync(input, CancellationToken.None);

    public Task<string[]> RunAsync(StoreOperationInput input, CancellationToken cancellationToken) =>
        telemetry.RunAsync<string[]>(
            nameof(ReleaseClusterSlot), input, async () => [.. await queue.ReleaseAsync(input.OperationId, options.ProvisionConcurrency, cancellationToken)]);
}
