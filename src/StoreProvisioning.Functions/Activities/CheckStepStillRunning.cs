using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Asked by <see cref="DeadlineRace"/> when a step's durable deadline passes: is the step still waiting for a cluster
/// slot, or running for less than the deadline, in this process (<see cref="ClusterWorkLimiter.Observe"/>)? Then the
/// orchestrator waits again; the deadline guards running time, not time in the queue. Otherwise (finished, unknown
/// here, or over time) it reports TimedOut. Changes nothing.
/// </summary>
public sealed class CheckStepStillRunning(StepTelemetry telemetry, ClusterWorkLimiter limiter, ILogger<CheckStepStillRunning> logger) : StoreActivity<StoreOperationInput>(telemetry)
{
    public override Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken) => Task.FromResult(Check(input));

    private StepOutcome Check(StoreOperationInput input)
    {
        var deadline = input.StepDeadline;
        var (known, queued, running) = limiter.Observe(input.OperationId);
        if (known && queued)
        {
            logger.LogInformation("Store {Store}: step still queued for a cluster slot after the deadline; waiting {Wait} more", input.StoreName, deadline);
            return new StepOutcome(StepResult.StillRunning, "queued for a cluster slot", WaitMore: deadline);
        }

        if (known && running < deadline)
        {
            var more = deadline - running;
            return new StepOutcome(StepResult.StillRunning, $"running for {CliRunner.Describe(running)}", WaitMore: more < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : more);
        }

        return new StepOutcome(StepResult.TimedOut, known ? $"running for {CliRunner.Describe(running)}" : "not running in this process");
    }
}
