using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// How an install, upgrade or rollback step records its end on the store: READY at the revision helm reports
/// deployed, or FAILED with a short reason led by what the pods say (diagnostics in the activity log).
/// </summary>
public sealed class ReleaseResults(StoreRepository repository, HelmCli helm, KubectlCli kubectl, ILogger<ReleaseResults> logger)
{
    /// <summary>
    /// READY at the release's revision only when helm says deployed, FAILED otherwise. <paramref name="reported"/> is the
    /// release as the helm command itself printed it; when the command prints none (rollback) or it was unreadable,
    /// `helm status` is asked.
    /// </summary>
    public async Task<StepOutcome> RecordAsync(
        Store store, StoreOperationInput input, StoreOperation operation, string what, HelmReleaseStatus? reported, Stopwatch clock, CancellationToken cancellationToken)
    {
        var after = reported ?? await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
        if (after is not { IsDeployed: true })
        {
            var reason = $"{OperationWords.Title(operation)} failed: helm reports the release {(after is null ? "missing" : after.Status)} instead of deployed";
            return await FailAsync(store, input, operation, reason, reason, after?.Revision, clock);
        }

        var succeeded = await repository.SucceedAsync(
            store.Name, input.OperationId, after.Revision, new ActivityDraft(OperationWords.AuditFor(operation).Succeeded, $"{what}: revision {after.Revision}", clock.Elapsed), CancellationToken.None);
        if (!succeeded.Applied)
        {
            logger.LogInformation("Store {Store}: {What} done, but the store moved on: {Reason}", store.Name, what, succeeded.Reason);
            return StepOutcome.Moved(succeeded.Reason ?? "The store moved on.");
        }

        logger.LogInformation("Store {Store} {What}: revision {Revision}", store.Name, what, after.Revision);
        return StepOutcome.Ok(after.Revision);
    }

    /// <summary>FAILED after helm failed: the reason names the command's failure.</summary>
    public Task<StepOutcome> FailAsync(Store store, StoreOperationInput input, StoreOperation operation, CliCommandException ex, Stopwatch clock)
    {
        var reason = ex.Failure == CliFailure.TimedOut
            ? $"{OperationWords.Title(operation)} {CliFailureReason.For(ex)}"
            : $"{OperationWords.Title(operation)} failed: {CliFailureReason.For(ex)}";
        return FailAsync(store, input, operation, reason, ex.Message, null, clock);
    }

    private async Task<StepOutcome> FailAsync(
        Store store, StoreOperationInput input, StoreOperation operation, string reason, string auditDetail, int? revision, Stopwatch clock)
    {
        logger.LogWarning("Store {Store}: {Reason}", store.Name, reason);
        var diagnostics = await FailureDiagnosis.DiagnoseAsync(kubectl, store.Namespace, logger);
        await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.Diagnostics, diagnostics.Detail), CancellationToken.None);
        revision ??= await FailureDiagnosis.TryRevisionAsync(helm, store.Release, store.Namespace, logger);
        // What the pods say (ImagePullBackOff, quota, unschedulable) is what a person acts on, so it leads when found.
        var failedPrefix = $"{OperationWords.Title(operation)} failed: ";
        var error = diagnostics.FoundProblems && reason.StartsWith(failedPrefix, StringComparison.Ordinal)
            ? $"{failedPrefix}{diagnostics.Summary}. Details: {reason[failedPrefix.Length..]}"
            : $"{reason}. Diagnosis: {diagnostics.Summary}";
        await repository.FailAsync(
            store.Name, input.OperationId, error,
            new ActivityDraft(OperationWords.AuditFor(operation).Failed, auditDetail, clock.Elapsed), revision, CancellationToken.None);
        return StepOutcome.Fail(error, revision);
    }
}
