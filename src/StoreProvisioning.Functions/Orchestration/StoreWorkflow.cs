using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// The step sequences the orchestrators share. Deterministic: only the context's clock and timers, activities for all
/// I/O. Each cluster step races a durable timer (the operation deadline); a step that loses the race, or throws,
/// is recorded as FAILED by <see cref="RecordActivities.RecordFailure"/> so no store is left PROVISIONING.
/// </summary>
internal static class StoreWorkflow
{
    // Database-only activities may be retried: they are idempotent and fenced by the operation id.
    private static readonly TaskOptions RecordRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2)));

    /// <summary>How many times a step queued for a cluster slot may have its deadline renewed (bounds a stuck queue).</summary>
    private const int MaxWaits = 50;

    public static async Task InstallAsync(TaskOrchestrationContext context, StoreOperationInput input, ILogger log)
    {
        if (await StepAsync(context, input, nameof(NamespaceActivities.EnsureNamespace), input, log) is not { Succeeded: true })
        {
            return;
        }

        await StepAsync(context, input, nameof(ReleaseActivities.InstallRelease), input, log, diagnoseOnTimeout: true);
    }

    public static async Task UpgradeAsync(TaskOrchestrationContext context, StoreOperationInput input, ILogger log)
    {
        if (await StepAsync(context, input, nameof(NamespaceActivities.EnsureNamespace), input, log) is not { Succeeded: true })
        {
            return;
        }

        await StepAsync(context, input, nameof(ReleaseActivities.UpgradeRelease), input, log, diagnoseOnTimeout: true);
    }

    public static Task RollbackAsync(TaskOrchestrationContext context, StoreOperationInput input, ILogger log) =>
        StepAsync(context, input, nameof(ReleaseActivities.RollbackRelease), input, log, diagnoseOnTimeout: true);

    /// <summary>
    /// Uninstall, delete the namespace, remove the row: each step runs whatever the previous one did. The namespace
    /// step removes the row itself, so the removal is not queued behind other stores' cluster work; only when that step
    /// does not answer (deadline, crash) is the removal an activity of its own.
    /// </summary>
    public static async Task DeleteAsync(TaskOrchestrationContext context, StoreOperationInput input, ILogger log)
    {
        var problems = new List<string>();
        var uninstall = await RaceDeadlineAsync(context, input, nameof(ReleaseActivities.UninstallRelease), input);
        if (uninstall.Result == StepResult.Superseded)
        {
            log.LogWarning("Delete of store {Store} stopped at uninstall: {Reason}", input.StoreName, uninstall.Message);
            return;
        }

        if (!uninstall.Succeeded)
        {
            problems.Add(uninstall.Message ?? "helm uninstall failed");
            if (uninstall.NeedsRecording)
            {
                await CallRecordAsync(context, nameof(RecordActivities.RecordNote), new AuditNote(input, Persistence.AuditActions.UninstallFailed, uninstall.Message!), log);
            }
        }

        var namespaceStep = await RaceDeadlineAsync(context, input, nameof(NamespaceActivities.DeleteNamespace), new RemovalRequest(input, [.. problems]));
        switch (namespaceStep.Result)
        {
            case StepResult.Superseded:
                log.LogWarning("Delete of store {Store} stopped at the namespace: {Reason}", input.StoreName, namespaceStep.Message);
                return;
            case StepResult.Failed:
                problems.Add(namespaceStep.Message ?? "namespace deletion failed"); // recorded by the activity, which keeps the row DELETING (tombstone)
                break;
            case StepResult.TimedOut or StepResult.Crashed:
                problems.Add(namespaceStep.Message!);
                await CallRecordAsync(context, nameof(RecordActivities.RecordNote), new AuditNote(input, Persistence.AuditActions.NamespaceDeleteFailed, namespaceStep.Message!), log);
                await CallRecordAsync(context, nameof(RecordActivities.RemoveStore), new RemovalRequest(input, problems), log);
                break;
        }

        log.LogInformation("Store {Store} deleted{Partial}", input.StoreName, problems.Count == 0 ? string.Empty : " with partial failures: " + string.Join("; ", problems));
    }

    /// <summary>Runs one step against the deadline; records the failure itself when the activity could not.</summary>
    private static async Task<StepOutcome> StepAsync(
        TaskOrchestrationContext context, StoreOperationInput input, string activity, object activityInput, ILogger log, bool diagnoseOnTimeout = false)
    {
        var outcome = await RaceDeadlineAsync(context, input, activity, activityInput);
        if (outcome.NeedsRecording)
        {
            await CallRecordAsync(
                context,
                nameof(RecordActivities.RecordFailure),
                new FailureReport(input, outcome.Message!, outcome.Result == StepResult.TimedOut, diagnoseOnTimeout && outcome.Result == StepResult.TimedOut),
                log);
        }

        if (!outcome.Succeeded)
        {
            log.LogWarning("{Operation} of store {Store} stopped at {Step}: {Result} {Reason}", input.Effective, input.StoreName, activity, outcome.Result, outcome.Message);
        }
        else
        {
            log.LogInformation("{Operation} of store {Store}: {Step} done", input.Effective, input.StoreName, activity);
        }

        return outcome;
    }

    /// <summary>
    /// The activity against a durable timer at now + deadline; the timer is cancelled when the activity answers first.
    /// When the timer wins, <see cref="RecordActivities.CheckStep"/> says whether the step is merely queued for a cluster
    /// slot (or has not yet run for the whole deadline); then the race goes on with a new timer, at most
    /// <see cref="MaxWaits"/> times. Deterministic: every decision comes from timers and activity results in the history.
    /// </summary>
    private static async Task<StepOutcome> RaceDeadlineAsync(TaskOrchestrationContext context, StoreOperationInput input, string activity, object activityInput)
    {
        var deadline = input.StepDeadline;
        var step = context.CallActivityAsync<StepOutcome>(activity, activityInput);
        var wait = deadline;
        for (var waits = 0; ; waits++)
        {
            using var timerCancellation = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime + wait, timerCancellation.Token);
            if (await Task.WhenAny(step, timer) == step)
            {
                timerCancellation.Cancel();
                break;
            }

            if (waits >= MaxWaits)
            {
                return TimedOut(input, activity, deadline);
            }

            StepOutcome check;
            try
            {
                check = await context.CallActivityAsync<StepOutcome>(nameof(RecordActivities.CheckStep), input);
            }
            catch (TaskFailedException)
            {
                check = new StepOutcome(StepResult.TimedOut);
            }

            if (step.IsCompleted)
            {
                break;
            }

            if (check.Result != StepResult.StillRunning)
            {
                return TimedOut(input, activity, deadline);
            }

            wait = check.WaitMore is { } more && more > TimeSpan.Zero ? more : deadline;
        }

        try
        {
            return await step;
        }
        catch (TaskFailedException ex)
        {
            return new StepOutcome(
                StepResult.Crashed,
                $"{ActivitySupport.Title(input.Effective)} failed: step {activity} stopped unexpectedly ({ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}). Retry it.");
        }
    }

    private static StepOutcome TimedOut(StoreOperationInput input, string activity, TimeSpan deadline) =>
        new(
            StepResult.TimedOut,
            $"{ActivitySupport.Title(input.Effective)} timed out after {CliRunner.Describe(deadline)} (step {activity} did not finish; helm is stopped at HELM_TIMEOUT). Retry it.");

    private static async Task CallRecordAsync(TaskOrchestrationContext context, string activity, object activityInput, ILogger log)
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
