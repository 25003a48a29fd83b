using Microsoft.DurableTask;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Activities;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Runs one activity against a durable deadline: the operation's only timing rule, kept apart from the step lists.
/// The deadline guards a step's running time, not its time queued for a cluster slot behind other stores.
/// Deterministic: every decision comes from timers and activity results in the history.
/// </summary>
public static class DeadlineRace
{
    /// <summary>How many times a step queued for a cluster slot may have its deadline renewed (bounds a stuck queue).</summary>
    public const int MaxWaits = 50;

    /// <summary>
    /// The activity against a durable timer at now + deadline; the timer is cancelled when the activity answers first.
    /// When the timer wins, <see cref="CheckStepStillRunning"/> says whether the step is merely queued for a cluster slot (or has
    /// not yet run for the whole deadline); then the race goes on with a new timer, at most <see cref="MaxWaits"/> times.
    /// A step that loses is <see cref="StepResult.TimedOut"/>; one that throws is <see cref="StepResult.Crashed"/>.
    /// </summary>
    public static async Task<StepOutcome> RunAsync(TaskOrchestrationContext context, StoreOperationInput input, string activity, object activityInput)
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
                check = await context.CallActivityAsync<StepOutcome>(nameof(CheckStepStillRunning), input);
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
                $"{OperationWords.Title(input.Runs)} failed: step {activity} stopped unexpectedly ({ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}). Retry it.");
        }
    }

    private static StepOutcome TimedOut(StoreOperationInput input, string activity, TimeSpan deadline) =>
        new(
            StepResult.TimedOut,
            $"{OperationWords.Title(input.Runs)} timed out after {CliRunner.Describe(deadline)} (step {activity} did not finish; helm is stopped at HELM_TIMEOUT). Retry it.");
}
