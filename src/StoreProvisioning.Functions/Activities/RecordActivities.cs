using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Database-only steps the orchestrator calls: record a failure the cluster steps could not (a deadline passed, an
/// activity crashed), write an audit note, and remove a deleted store's row. All fenced by the operation id.
/// </summary>
public sealed class RecordActivities(StoreRepository repository, KubectlCli kubectl, ClusterWorkLimiter limiter, ILogger<RecordActivities> logger)
{
    /// <summary>
    /// Marks the store FAILED with the reason, only while this operation is still the store's, so a store is never left
    /// PROVISIONING. With <see cref="FailureReport.CollectDiagnostics"/>, the namespace's pods and events explain it.
    /// </summary>
    [Function(nameof(RecordFailure))]
    public async Task<StepOutcome> RecordFailure([ActivityTrigger] FailureReport report, CancellationToken cancellationToken)
    {
        var input = report.Operation;
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (store is null || store.OperationId != input.OperationId)
        {
            return StepOutcome.Moved("The store moved on; the failure is not recorded on it.");
        }

        if (!LifecycleTransitions.SourcesFor(LifecycleCommand.Fail).Contains(store.Status))
        {
            // The step finished after all (READY) or already recorded its failure: nothing to add.
            return StepOutcome.Moved($"The store is already {store.Status.Name()}; the late failure report is dropped.");
        }

        var reason = report.Reason;
        if (report.CollectDiagnostics)
        {
            var diagnostics = await ActivitySupport.DiagnoseAsync(kubectl, store.Namespace, logger);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.Diagnostics, diagnostics.Detail), CancellationToken.None);
            reason = $"{reason.TrimEnd('.', ' ')}. Diagnosis: {diagnostics.Summary}";
        }

        var action = report.TimedOut ? AuditActions.OperationTimedOut : ActivitySupport.AuditFor(input.Effective).Failed;
        var failed = await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(action, reason), cancellationToken: CancellationToken.None);
        logger.LogWarning("Store {Store} marked FAILED: {Reason} ({Outcome})", store.Name, reason, failed.Outcome);
        return failed.Applied ? StepOutcome.Fail(reason) : StepOutcome.Moved(failed.Reason ?? "The store moved on.");
    }

    /// <summary>
    /// Asked when a step's durable deadline passes: is the step still waiting for a cluster slot, or running for less
    /// than the deadline, in this process (<see cref="ClusterWorkLimiter.Observe"/>)? Then the orchestrator waits again; the deadline
    /// guards running time, not time in the queue. Otherwise (finished, unknown here, or over time) it reports TimedOut.
    /// </summary>
    [Function(nameof(CheckStep))]
    public StepOutcome CheckStep([ActivityTrigger] StoreOperationInput input)
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

    /// <summary>Writes one audit row on the orchestrator's behalf (e.g. a delete step that timed out).</summary>
    [Function(nameof(RecordNote))]
    public async Task<StepOutcome> RecordNote([ActivityTrigger] AuditNote note, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(note.Operation.StoreName, cancellationToken);
        await repository.RecordAsync(note.Operation.StoreName, store?.UserId, note.Operation.OperationId, new ActivityDraft(note.Action, note.Detail), cancellationToken);
        return StepOutcome.Ok();
    }

    /// <summary>
    /// When the namespace step could not answer (it crashed or ran past its deadline): removes the DELETING store's row
    /// only if kubectl confirms the namespace no longer exists (store.removed with the partial failures); otherwise the
    /// row stays DELETING with the reason. Idempotent: a second run finds no row.
    /// </summary>
    [Function(nameof(RemoveStore))]
    public async Task<StepOutcome> RemoveStore([ActivityTrigger] RemovalRequest request, CancellationToken cancellationToken)
    {
        var ns = Stores.Store.NamespaceFor(request.Operation.StoreName);
        string? present;
        try
        {
            using var found = await kubectl.GetNamespaceAsync(ns, cancellationToken);
            present = found is null ? null : $"namespace {ns} still exists";
        }
        catch (CliCommandException ex)
        {
            present = $"could not confirm that namespace {ns} is gone: {ActivitySupport.Reason(ex)}";
        }

        return present is null
            ? await StoreRemoval.RemoveAsync(repository, request, logger, cancellationToken)
            : await StoreRemoval.HoldAsync(repository, request with { Problems = [.. request.Problems, present] }, logger, cancellationToken);
    }
}
