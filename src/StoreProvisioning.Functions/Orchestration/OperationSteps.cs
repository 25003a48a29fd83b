using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// How an orchestrator runs the steps of one operation: each step through <see cref="DeadlineRace"/>, and a failure
/// the step could not record itself (deadline passed, activity crashed) recorded by <see cref="MarkStoreFailed"/>, so no
/// store is left in flight. Database-only bookkeeping goes through <see cref="RecordAsync"/>. Before each step of
/// <paramref name="plan"/> (the orchestrator's step list, in order) it reports the step as the durable custom status
/// (<see cref="OperationProgress"/>, what the API shows as a store's "progress").
/// </summary>
public sealed class OperationSteps(TaskOrchestrationContext context, StoreOperationInput input, ILogger log, IReadOnlyList<string> plan)
{
    /// <summary>The step of waiting for (and taking) a cluster slot, in a step list beside the activities' names.</summary>
    public const string ClusterSlotStep = "ClusterSlot";

    /// <summary>The one table of step names people read ("progress"), by activity (or <see cref="ClusterSlotStep"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string> StepNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ClusterSlotStep] = "waiting for a cluster slot",
        [nameof(EnsureNamespace)] = "namespace and isolation",
        [nameof(InstallRelease)] = "helm upgrade --install",
        [nameof(UpgradeRelease)] = "helm upgrade",
        [nameof(RollbackRelease)] = "helm rollback",
        [nameof(UninstallRelease)] = "helm uninstall",
        [nameof(DeleteNamespaceAndRemoveStore)] = "deleting the namespace",
    };

    /// <summary>
    /// Sets the custom status to <paramref name="step"/> of the plan, started now (the orchestration's clock:
    /// deterministic on replay). A step outside the plan (a fallback such as <see cref="RemoveStore"/>) leaves the
    /// status at the step it stands in for.
    /// </summary>
    public void Report(string step)
    {
        var index = plan.ToList().IndexOf(step);
        if (index >= 0)
        {
            context.SetCustomStatus(new OperationProgress(StepNames[step], index + 1, plan.Count, context.CurrentUtcDateTime));
        }
    }

    // Database-only activities may be retried: they are idempotent and fenced by the operation id.
    private static readonly TaskOptions RecordRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2)));

    /// <summary>Runs one step against the deadline; records the failure itself when the activity could not.</summary>
    /// <param name="diagnoseOnTimeout">A timed-out step explains itself with the namespace's pods and events.</param>
    public async Task<StepOutcome> RunAsync(string activity, object? activityInput = null, bool diagnoseOnTimeout = false)
    {
        Report(activity);
        var outcome = await DeadlineRace.RunAsync(context, input, activity, activityInput ?? input);
        if (outcome.NeedsRecording)
        {
            var timedOut = outcome.Result == StepResult.TimedOut;
            await RecordAsync(nameof(MarkStoreFailed), new FailureReport(input, outcome.Message!, timedOut, diagnoseOnTimeout && timedOut));
        }

        if (outcome.Succeeded)
        {
            log.LogInformation("{Operation} of store {Store}: {Step} done", input.Runs, input.StoreName, activity);
        }
        else
        {
            log.LogWarning("{Operation} of store {Store} stopped at {Step}: {Result} {Reason}", input.Runs, input.StoreName, activity, outcome.Result, outcome.Message);
        }

        return outcome;
    }

    /// <summary>
    /// Runs an operation's cluster steps holding one cluster slot (<see cref="ClusterSlot"/>): waits its turn first in,
    /// first out, and gives the slot back after the last step. A queue it could not reach is recorded as a failure.
    /// </summary>
    public Task<StepOutcome> WithClusterSlotAsync(Func<Task<StepOutcome>> clusterSteps) => HoldClusterSlotAsync(clusterSteps, markStarted: false);

    /// <summary>
    /// Marks the operation started (an install, upgrade or rollback) and runs its cluster steps holding one cluster slot
    /// (<see cref="WithClusterSlotAsync"/>). From <see cref="OrchestrationVersions.StartsOnAdmission"/> on, the claim
    /// that admits the operation marks it; an orchestration started before runs <see cref="MarkOperationStarted"/>
    /// first, as it did then (not in the step lists any more: its progress skips it).
    /// </summary>
    public async Task<StepOutcome> StartWithClusterSlotAsync(Func<Task<StepOutcome>> clusterSteps)
    {
        if (OrchestrationVersions.MarksStartedOnAdmission(context))
        {
            return await HoldClusterSlotAsync(clusterSteps, markStarted: true);
        }

        if (await RunAsync(nameof(MarkOperationStarted)) is { Succeeded: false } started)
        {
            return started;
        }

        return await HoldClusterSlotAsync(clusterSteps, markStarted: false);
    }

    private async Task<StepOutcome> HoldClusterSlotAsync(Func<Task<StepOutcome>> clusterSteps, bool markStarted)
    {
        Report(ClusterSlotStep);
        var admission = await ClusterSlot.AdmitAsync(context, input, markStarted);
        if (admission.NeedsRecording)
        {
            await RecordAsync(nameof(MarkStoreFailed), new FailureReport(input, admission.Message!, TimedOut: false, CollectDiagnostics: false));
        }

        if (!admission.Succeeded)
        {
            return admission;
        }

        try
        {
            return await clusterSteps();
        }
        finally
        {
            await ClusterSlot.ReleaseAsync(context, input);
        }
    }

    /// <summary>Runs a database-only activity with retries. If it still fails, the reconciler finds the store later.</summary>
    public async Task RecordAsync(string activity, object activityInput)
    {
        try
        {
            await context.CallActivityAsync<StepOutcome>(activity, activityInput, RecordRetry);
        }
        catch (TaskFailedException ex)
        {
            // The reconciler finds a store whose orchestration ended while it is still in flight, and fails it.
            log.LogError("Could not record {Activity}: {Error}", activity, ex.FailureDetails.ErrorMessage);
        }
    }
}
