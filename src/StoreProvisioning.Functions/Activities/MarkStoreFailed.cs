using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Marks the store FAILED with the reason when a step could not record its own failure (its deadline passed, it
/// crashed), only while this operation is still the store's and still in flight, so a store is never left
/// PROVISIONING and a late report never undoes READY. With <see cref="FailureReport.CollectDiagnostics"/>, the
/// namespace's pods and events explain it.
/// </summary>
public sealed class MarkStoreFailed(StepTelemetry telemetry, StoreRepository repository, KubectlCli kubectl, ILogger<MarkStoreFailed> logger) : StoreActivity<FailureReport>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(FailureReport report, CancellationToken cancellationToken)
    {
        var input = report.Operation;
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Owns(store, input) is not null)
        {
            return StepOutcome.Moved("The store moved on; the failure is not recorded on it.");
        }

        if (!LifecycleTransitions.SourcesFor(LifecycleCommand.Fail).Contains(store!.Status))
        {
            // The step finished after all (READY) or already recorded its failure: nothing to add.
            return StepOutcome.Moved($"The store is already {store.Status.Name()}; the late failure report is dropped.");
        }

        var reason = report.Reason;
        if (report.CollectDiagnostics)
        {
            var diagnostics = await FailureDiagnosis.DiagnoseAsync(kubectl, store.Namespace, logger);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.Diagnostics, diagnostics.Detail), CancellationToken.None);
            reason = $"{reason.TrimEnd('.', ' ')}. Diagnosis: {diagnostics.Summary}";
        }

        var action = report.TimedOut ? AuditActions.OperationTimedOut : OperationWords.AuditFor(input.Runs).Failed;
        var failed = await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(action, reason), cancellationToken: CancellationToken.None);
        logger.LogWarning("Store {Store} marked FAILED: {Reason} ({Outcome})", store.Name, reason, failed.Outcome);
        return failed.Applied ? StepOutcome.Fail(reason) : StepOutcome.Moved(failed.Reason ?? "The store moved on.");
    }
}
