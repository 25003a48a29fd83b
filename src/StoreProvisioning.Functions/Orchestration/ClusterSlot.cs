using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Holds one cluster slot (PROVISION_CONCURRENCY, counted across every instance through the database queue) from an
/// operation's first cluster step to its last, and admits operations first in, first out. Waiting for the slot
/// happens here, before any step starts, so each step's <see cref="DeadlineRace"/> guards only its running time.
/// Deterministic: admission comes from activity results, the wake-up event and timers in the history.
/// </summary>
public static class ClusterSlot
{
    /// <summary>The event a releasing operation (or the reconciler, or a cancel) sends to an operation it admitted.</summary>
    public const string GrantedEvent = "ClusterSlotGranted";

    /// <summary>
    /// How a <see cref="GrantedEvent"/>'s text (otherwise the releaser's operation id) begins when the release also
    /// marked the admitted operation started (<see cref="ReleaseClusterSlotAndStartNext"/>).
    /// </summary>
    public const string StartedGrantPrefix = "started:";

    /// <summary>
    /// A queued operation asks again this often even without the event: the last resort for a lost wake-up, which the
    /// reconciler's pass repairs first (<see cref="StillWaitingAsync"/>). Long, because in a burst every queued
    /// operation's recheck is an activity and two orchestrator episodes.
    /// </summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2)));

    /// <summary>
    /// Joins the queue and waits until the operation holds a slot (Succeeded). Superseded when the store moved on while
    /// queued; Crashed (not yet recorded) when the queue could not be reached. Queue time has no deadline: the slot
    /// holders ahead each run under theirs. With <paramref name="markStarted"/> the claim that admits the operation
    /// also marks it started (<see cref="ClaimClusterSlotAndMarkStarted"/>); a slot it was admitted to but could not
    /// start in (the store moved on meanwhile) is given back.
    /// </summary>
    public static async Task<StepOutcome> AdmitAsync(TaskOrchestrationContext context, StoreOperationInput input, bool markStarted = false)
    {
        var startedByRelease = markStarted && OrchestrationVersions.StartsWithRelease(context);
        var request = new SlotRequest(input, context.InstanceId, startedByRelease);
        var claimActivity = markStarted ? nameof(ClaimClusterSlotAndMarkStarted) : nameof(ClaimClusterSlot);
        Task<string>? granted = null;
        while (true)
        {
            StepOutcome claim;
            try
            {
                claim = await context.CallActivityAsync<StepOutcome>(claimActivity, request, Retry);
            }
            catch (TaskFailedException ex)
            {
                // The claim may have landed: release it so the queue does not wait for an operation that gave up.
                await ReleaseAsync(context, input);
                return new StepOutcome(
                    StepResult.Crashed,
                    $"{OperationWords.Title(input.Runs)} failed: could not join the cluster slot queue ({ex.FailureDetails.ErrorMessage}). Retry it.");
            }

            if (claim.Result != StepResult.Queued)
            {
                if (markStarted && !claim.Succeeded)
                {
                    await ReleaseAsync(context, input);
                }

                return claim;
            }

            // One waiter at a time, kept across rechecks: a cancelled waiter could swallow the next event.
            granted ??= context.WaitForExternalEvent<string>(GrantedEvent);
            using var stopTimer = new CancellationTokenSource();
            var recheck = context.CreateTimer(context.CurrentUtcDateTime + Recheck, stopTimer.Token);
            if (await Task.WhenAny(granted, recheck) == granted)
            {
                stopTimer.Cancel();
                var grant = await granted;
                granted = null;
                if (startedByRelease && grant.StartsWith(StartedGrantPrefix, StringComparison.Ordinal))
                {
                    return StepOutcome.Ok(note: "holds a cluster slot, marked started by the release that admitted it");
                }
            }
        }
    }

    /// <summary>
    /// Gives the slot back (idempotent) and wakes the operations that this admitted; from version 3 on, having marked
    /// started those that asked for it (<see cref="ReleaseClusterSlotAndStartNext"/>).
    /// </summary>
    public static async Task ReleaseAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        SlotGrant[] admitted;
        try
        {
            admitted = OrchestrationVersions.StartsWithRelease(context)
                ? await context.CallActivityAsync<SlotGrant[]>(nameof(ReleaseClusterSlotAndStartNext), input, Retry)
                : [.. (await context.CallActivityAsync<string[]>(nameof(ReleaseClusterSlot), input, Retry)).Select(id => new SlotGrant(id, Started: false))];
        }
        catch (TaskFailedException)
        {
            return; // The claim is stale once the store leaves flight; the reconciler releases it then.
        }

        foreach (var grant in admitted)
        {
            context.SendEvent(grant.InstanceId, GrantedEvent, grant.Started ? StartedGrantPrefix + input.OperationId : input.OperationId);
        }
    }

    /// <summary>
    /// Of these orchestration instances (operations that hold a slot), those still waiting for it: running, with the
    /// slot as their reported step. Their wake-up was lost (e.g. the releasing side died between the release and the
    /// event, or a retried release admitted nobody the second time).
    /// </summary>
    public static async Task<IReadOnlyList<string>> StillWaitingAsync(DurableTaskClient client, IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        var waiting = new List<string>();
        foreach (var instanceId in instanceIds)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (OperationProgress.ReportedBy(instance)?.Step == OperationSteps.StepNames[OperationSteps.ClusterSlotStep])
            {
                waiting.Add(instanceId);
            }
        }

        return waiting;
    }

    /// <summary>From outside an orchestration (a cancel, the reconciler): tells the operations a release admitted.</summary>
    public static async Task WakeAsync(DurableTaskClient client, IReadOnlyList<string> admitted, string releasedBy, CancellationToken cancellationToken)
    {
        foreach (var instanceId in admitted)
        {
            await client.RaiseEventAsync(instanceId, GrantedEvent, releasedBy, cancellationToken).ConfigureAwait(false);
        }
    }
}
