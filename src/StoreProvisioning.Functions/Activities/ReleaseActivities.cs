using System.Diagnostics;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Catalog;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Cluster steps on the store's Helm release. Each holds a <see cref="ClusterWorkLimiter"/> slot for its cluster work,
/// records its own outcome in SQLite (fenced by the operation id) before returning, and turns helm failures into a
/// FAILED store with a short reason plus diagnostics. Credentials are generated here, travel only in a private values
/// file, and are redacted from everything helm prints.
/// </summary>
public sealed class ReleaseActivities(
    StoreRepository repository,
    HelmCli helm,
    KubectlCli kubectl,
    ClusterWorkLimiter limiter,
    StoreProvisioningOptions options,
    StoreCatalog catalog,
    ILogger<ReleaseActivities> logger)
{
    /// <summary>First install (or a retried one): recover a stuck release, then `helm upgrade --install` with fresh credentials.</summary>
    [Function(nameof(InstallRelease))]
    public Task<StepOutcome> InstallRelease([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        ApplyAsync(input, StoreOperation.Install, cancellationToken);

    /// <summary>Re-applies the chart with the operator's overrides; helm rolls back by itself when the upgrade fails.</summary>
    [Function(nameof(UpgradeRelease))]
    public Task<StepOutcome> UpgradeRelease([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        ApplyAsync(input, StoreOperation.Upgrade, cancellationToken);

    /// <summary>Rolls back to the requested revision, or the last good one before the current (from `helm history`).</summary>
    [Function(nameof(RollbackRelease))]
    public async Task<StepOutcome> RollbackRelease([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (ActivitySupport.Check(store, input, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var requested = ReadArgs(input.ArgsJson)?.Revision;
        await repository.RecordAsync(
            store!.Name, store.UserId, input.OperationId,
            new ActivityDraft(AuditActions.RollbackStarted, requested is null ? "to the previous good revision" : $"to revision {requested}"), CancellationToken.None);

        var clock = Stopwatch.StartNew();
        using var slot = await limiter.AcquireAsync(input.OperationId, cancellationToken);
        try
        {
            var history = await helm.HistoryAsync(store.Release, store.Namespace, cancellationToken);
            var (target, why) = RollbackTarget.Choose(history, requested);
            if (target is null)
            {
                var reason = $"Rollback failed: {why}";
                await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(AuditActions.RollbackFailed, reason), cancellationToken: CancellationToken.None);
                return StepOutcome.Fail(reason);
            }

            await helm.RollbackAsync(store.Release, target.Value, store.Namespace, cancellationToken);
            return await RecordResultAsync(store, input, StoreOperation.Rollback, $"rolled back to revision {target}", clock, cancellationToken);
        }
        catch (CliCommandException ex)
        {
            return await FailAsync(store, input, StoreOperation.Rollback, ex, clock);
        }
    }

    /// <summary>`helm uninstall` at the start of a delete. Records its outcome; a failure does not stop the delete.</summary>
    [Function(nameof(UninstallRelease))]
    public async Task<StepOutcome> UninstallRelease([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (ActivitySupport.Check(store, input, StoreStatus.Deleting) is { } stop)
        {
            return stop;
        }

        var clock = Stopwatch.StartNew();
        using var slot = await limiter.AcquireAsync(input.OperationId, cancellationToken);
        try
        {
            await helm.UninstallAsync(store!.Release, store.Namespace, cancellationToken);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.UninstallSucceeded, store.Release, clock.Elapsed), CancellationToken.None);
            return StepOutcome.Ok();
        }
        catch (CliCommandException ex)
        {
            var reason = $"helm uninstall failed: {ActivitySupport.Reason(ex)}";
            logger.LogWarning("Uninstalling {Release} failed: {Reason}", store!.Release, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.UninstallFailed, ex.Message, clock.Elapsed), CancellationToken.None);
            return StepOutcome.Fail(reason);
        }
    }

    private async Task<StepOutcome> ApplyAsync(StoreOperationInput input, StoreOperation operation, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (ActivitySupport.Check(store, input, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var overrides = operation == StoreOperation.Upgrade ? ReadArgs(input.ArgsJson)?.Values : null;
        if (operation == StoreOperation.Upgrade)
        {
            await repository.RecordAsync(
                store!.Name, store.UserId, input.OperationId,
                new ActivityDraft(AuditActions.UpgradeStarted, overrides is { ValueKind: JsonValueKind.Object } ? "with value overrides" : "re-apply chart"), CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        using var slot = await limiter.AcquireAsync(input.OperationId, cancellationToken);
        try
        {
            // Observe the release first: an interrupted run may have left it locked in pending-*.
            var status = await helm.StatusAsync(store!.Release, store.Namespace, cancellationToken);
            if (status is { IsPending: true })
            {
                status = await RecoverAsync(store, input, status, cancellationToken);
            }

            // The plan's sizing, the chosen (or default) catalog version, the accepted settings: the chart values.
            var (chartValues, notInCatalog) = ChartOverrides.Build(store.Engine, catalog, store.Plan, overrides);
            if (notInCatalog is not null)
            {
                return await RefuseAsync(store, input, operation, notInCatalog, clock);
            }

            // A release that does not exist yet needs credentials even on "upgrade"; an existing one keeps its Secret.
            var credentials = operation == StoreOperation.Install || status is null
                ? StoreCredentials.Generate(store.Engine, options.HostFor(store.Name))
                : null;
            using var storeValues = PrivateValuesFile.Write(
                "store-values.json", StoreValues.Build(store.Name, options.HostFor(store.Name), options.UrlFor(store.Name), credentials));
            using var overridesFile = PrivateValuesFile.Write("overrides.json", chartValues!.ToJsonString());
            IReadOnlyList<string> files = [storeValues.Path, overridesFile.Path];
            var chart = Path.Combine(options.ChartsRoot, store.Engine.Name());

            // Defence in depth: render the release with the same values and refuse anything outside the store's namespace.
            var manifests = await helm.TemplateAsync(store.Release, chart, store.Namespace, files, credentials?.Secrets, cancellationToken);
            if (RenderGuard.Check(manifests, store.Namespace) is { } refusal)
            {
                return await RefuseAsync(store, input, operation, refusal, clock);
            }

            await helm.UpgradeInstallAsync(
                store.Release,
                chart,
                store.Namespace,
                files,
                rollbackOnFailure: operation == StoreOperation.Upgrade,
                credentials?.Secrets ?? [],
                cancellationToken);

            return await RecordResultAsync(store, input, operation, operation == StoreOperation.Install ? "installed" : "upgraded", clock, cancellationToken);
        }
        catch (CliCommandException ex)
        {
            return await FailAsync(store!, input, operation, ex, clock);
        }
    }

    /// <summary>FAILED before anything is applied: the render guard or the catalog refused the release.</summary>
    private async Task<StepOutcome> RefuseAsync(Store store, StoreOperationInput input, StoreOperation operation, string refusal, Stopwatch clock)
    {
        var reason = $"{ActivitySupport.Title(operation)} refused, nothing applied: {refusal}";
        logger.LogWarning("Store {Store}: {Reason}", store.Name, reason);
        await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.RenderRefused, refusal, clock.Elapsed), CancellationToken.None);
        await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(ActivitySupport.AuditFor(operation).Failed, reason), cancellationToken: CancellationToken.None);
        return StepOutcome.Fail(reason);
    }

    /// <summary>Unlocks a release an interrupted run left pending (<see cref="ReleaseRecovery"/>), and writes release.recovered.</summary>
    private async Task<HelmReleaseStatus?> RecoverAsync(Store store, StoreOperationInput input, HelmReleaseStatus status, CancellationToken cancellationToken)
    {
        var history = await helm.HistoryAsync(store.Release, store.Namespace, cancellationToken);
        var (action, revision) = ReleaseRecovery.Decide(status, history);
        switch (action)
        {
            case RecoveryAction.UninstallThenInstall:
                await helm.UninstallAsync(store.Release, store.Namespace, cancellationToken);
                await repository.RecordAsync(
                    store.Name, store.UserId, input.OperationId,
                    new ActivityDraft(AuditActions.ReleaseRecovered, $"release was left {status.Status} at revision {status.Revision} by an interrupted run; uninstalled it to install afresh"),
                    CancellationToken.None);
                logger.LogInformation("Recovered release {Release} from {Status} by uninstalling it", store.Release, status.Status);
                return null;
            case RecoveryAction.RollbackToLastDeployed:
                await helm.RollbackAsync(store.Release, revision!.Value, store.Namespace, cancellationToken);
                await repository.RecordAsync(
                    store.Name, store.UserId, input.OperationId,
                    new ActivityDraft(AuditActions.ReleaseRecovered, $"release was left {status.Status} at revision {status.Revision} by an interrupted run; rolled back to revision {revision}"),
                    CancellationToken.None);
                logger.LogInformation("Recovered release {Release} from {Status} by rolling back to {Revision}", store.Release, status.Status, revision);
                return await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
            default:
                return status;
        }
    }

    /// <summary>Reads back `helm status`: READY at its revision only when helm says deployed, FAILED otherwise.</summary>
    private async Task<StepOutcome> RecordResultAsync(Store store, StoreOperationInput input, StoreOperation operation, string what, Stopwatch clock, CancellationToken cancellationToken)
    {
        var audit = ActivitySupport.AuditFor(operation);
        var after = await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
        if (after is not { IsDeployed: true })
        {
            var reason = $"{ActivitySupport.Title(operation)} failed: helm reports the release {(after is null ? "missing" : after.Status)} instead of deployed";
            return await FailWithDiagnosticsAsync(store, input, operation, reason, reason, after?.Revision, clock);
        }

        var succeeded = await repository.SucceedAsync(
            store.Name, input.OperationId, after.Revision, new ActivityDraft(audit.Succeeded, $"{what}: revision {after.Revision}", clock.Elapsed), CancellationToken.None);
        if (!succeeded.Applied)
        {
            logger.LogInformation("Store {Store}: {What} done, but the store moved on: {Reason}", store.Name, what, succeeded.Reason);
            return StepOutcome.Moved(succeeded.Reason ?? "The store moved on.");
        }

        logger.LogInformation("Store {Store} {What}: revision {Revision}", store.Name, what, after.Revision);
        return StepOutcome.Ok(after.Revision);
    }

    private Task<StepOutcome> FailAsync(Store store, StoreOperationInput input, StoreOperation operation, CliCommandException ex, Stopwatch clock)
    {
        var reason = ex.Failure == CliFailure.TimedOut
            ? $"{ActivitySupport.Title(operation)} {ActivitySupport.Reason(ex)}"
            : $"{ActivitySupport.Title(operation)} failed: {ActivitySupport.Reason(ex)}";
        return FailWithDiagnosticsAsync(store, input, operation, reason, ex.Message, null, clock);
    }

    private async Task<StepOutcome> FailWithDiagnosticsAsync(
        Store store, StoreOperationInput input, StoreOperation operation, string reason, string auditDetail, int? revision, Stopwatch clock)
    {
        logger.LogWarning("Store {Store}: {Reason}", store.Name, reason);
        var diagnostics = await ActivitySupport.DiagnoseAsync(kubectl, store.Namespace, logger);
        await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.Diagnostics, diagnostics.Detail), CancellationToken.None);
        revision ??= await ActivitySupport.TryRevisionAsync(helm, store.Release, store.Namespace, logger);
        // What the pods say (ImagePullBackOff, quota, unschedulable) is what a person acts on, so it leads when found.
        var failedPrefix = $"{ActivitySupport.Title(operation)} failed: ";
        var error = diagnostics.FoundProblems && reason.StartsWith(failedPrefix, StringComparison.Ordinal)
            ? $"{failedPrefix}{diagnostics.Summary}. Details: {reason[failedPrefix.Length..]}"
            : $"{reason}. Diagnosis: {diagnostics.Summary}";
        await repository.FailAsync(
            store.Name, input.OperationId, error,
            new ActivityDraft(ActivitySupport.AuditFor(operation).Failed, auditDetail, clock.Elapsed), revision, CancellationToken.None);
        return StepOutcome.Fail(error, revision);
    }

    private static OperationArgs? ReadArgs(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<OperationArgs>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
