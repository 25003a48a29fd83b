using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Activities;

/// <summary>One operation the release admitted: its orchestration instance, and whether the release marked it started.</summary>
public sealed record SlotGrant(string InstanceId, bool Started);

/// <summary>
/// <see cref="ReleaseClusterSlot"/>, and for each operation the release admits that asked for it when it queued
/// (<see cref="SlotRequest.StartedByRelease"/>), <see cref="MarkOperationStarted"/> under that operation's own trace:
/// the operation then wakes up ready for its first cluster step instead of asking the queue once more
/// (orchestrator version 3). A mark that does not succeed (the store moved on, the database failed) is left to the
/// woken operation, which claims again as before. Idempotent like the release: a repeat admits nobody. Database only.
/// </summary>
public sealed class ReleaseClusterSlotAndStartNext(
    StepTelemetry telemetry, ClusterSlotQueue queue, MarkOperationStarted start, StoreProvisioningOptions options, ILogger<ReleaseClusterSlotAndStartNext> logger)
    : TaskActivity<StoreOperationInput, SlotGrant[]>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a claim keeps for its release: the operation's input.</summary>
    public static string StartInput(StoreOperationInput operation) => JsonSerializer.Serialize(operation, Json);

    public override Task<SlotGrant[]> RunAsync(TaskActivityContext context, StoreOperationInput input) => RunAsync(input, CancellationToken.None);

    public Task<SlotGrant[]> RunAsync(StoreOperationInput input, CancellationToken cancellationToken) =>
        telemetry.RunAsync<SlotGrant[]>(nameof(ReleaseClusterSlotAndStartNext), input, async () =>
        {
            var admitted = await queue.ReleaseAdmittingAsync(input.OperationId, options.ProvisionConcurrency, cancellationToken);
            var grants = new List<SlotGrant>(admitted.Count);
            foreach (var claim in admitted)
            {
                grants.Add(new SlotGrant(claim.InstanceId, claim.StartInput is { } startInput && await TryStartAsync(startInput, cancellationToken)));
            }

            return [.. grants];
        });

    private async Task<bool> TryStartAsync(string startInput, CancellationToken cancellationToken)
    {
        try
        {
            var operation = JsonSerializer.Deserialize<StoreOperationInput>(startInput, Json)!;
            var started = await start.ExecuteAsync(operation, cancellationToken);
            return started.Succeeded;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The woken operation claims again and marks itself started: nothing is lost, one activity more.
            logger.LogWarning("Could not mark the admitted operation started; it will claim its slot itself: {Error}", ex.Message);
            return false;
        }
    }
}
