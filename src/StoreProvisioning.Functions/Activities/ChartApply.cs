using System.Diagnostics;
using System.Text.Json;
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
/// `helm upgrade --install` of the store's chart under a cluster slot, shared by <see cref="InstallRelease"/> and
/// <see cref="UpgradeRelease"/>: unlock a release an interrupted run left pending, generate credentials when the
/// release does not exist yet (they travel only in a private values file and are redacted from helm's output), apply,
/// and record the release helm reports writing through <see cref="ReleaseResults"/>. The chart values come from the catalog (the store's plan,
/// the chosen or default version) and the accepted settings (<see cref="ChartOverrides"/>); before helm applies
/// anything, the release is rendered with the same values and refused when it reaches outside its namespace
/// (<see cref="RenderGuard"/>).
/// </summary>
public sealed class ChartApply(
    StoreRepository repository,
    HelmCli helm,
    ClusterStepGate gate,
    StoreProvisioningOptions options,
    StoreCatalog catalog,
    ReleaseResults results,
    ILogger<ChartApply> logger)
{
    public async Task<StepOutcome> RunAsync(StoreOperationInput input, StoreOperation operation, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var run = await gate.EnterAsync(input, cancellationToken);
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Check(store, input, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var overrides = operation == StoreOperation.Upgrade ? OperationArgs.Parse(input.ArgsJson)?.Values : null;
        try
        {
            // The plan's sizing, the chosen (or default) catalog version, the accepted settings: the chart values.
            var (chartValues, notInCatalog) = ChartOverrides.Build(store!.Engine, catalog, store.Plan, overrides);
            if (notInCatalog is not null)
            {
                return await RefuseAsync(store, input, operation, notInCatalog, clock);
            }

            using var overridesFile = PrivateValuesFile.Write("overrides.json", chartValues!.ToJsonString());
            var chart = Path.Combine(options.ChartsRoot, store.Engine.Name());

            // An install's credentials are fresh whatever the release holds, so its render (defence in depth, below)
            // runs beside the status read: one launch less per store. An upgrade learns from the status whether the
            // release exists: only one that does not yet gets credentials; an existing one keeps its Secret.
            var installCredentials = operation == StoreOperation.Install ? NewCredentials(store) : null;
            using var installValues = installCredentials is null ? null : WriteStoreValues(store, installCredentials);
            var earlyRender = installValues is null ? null : RenderAsync(store, chart, [installValues.Path, overridesFile.Path], installCredentials, cancellationToken);

            // Observe the release first: an interrupted run may have left it locked in pending-*.
            var statusRead = helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
            await Task.WhenAll(statusRead, earlyRender ?? Task.CompletedTask);
            var status = await statusRead;
            if (status is { IsPending: true })
            {
                status = await RecoverAsync(store, input, status, cancellationToken);
            }

            var credentials = installCredentials ?? (status is null ? NewCredentials(store) : null);
            using var upgradeValues = installValues is null ? WriteStoreValues(store, credentials) : null;
            IReadOnlyList<string> files = [(installValues ?? upgradeValues)!.Path, overridesFile.Path];

            // Defence in depth: render the release with the same values and refuse anything outside the store's namespace.
            var manifests = earlyRender is not null ? await earlyRender : await RenderAsync(store, chart, files, credentials, cancellationToken);
            if (RenderGuard.Check(manifests, store.Namespace) is { } refusal)
            {
                return await RefuseAsync(store, input, operation, refusal, clock);
            }

            var written = await helm.UpgradeInstallAsync(
                store.Release,
                chart,
                store.Namespace,
                files,
                rollbackOnFailure: operation == StoreOperation.Upgrade,
                credentials?.Secrets ?? [],
                cancellationToken);

            return await results.RecordAsync(store, input, operation, operation == StoreOperation.Install ? "installed" : "upgraded", written, clock, cancellationToken);
        }
        catch (CliCommandException ex)
        {
            return await results.FailAsync(store!, input, operation, ex, clock);
        }
    }

    private StoreCredentials NewCredentials(Store store) => StoreCredentials.Generate(store.Engine, options.HostFor(store.Name));

    private PrivateValuesFile WriteStoreValues(Store store, StoreCredentials? credentials) =>
        PrivateValuesFile.Write("store-values.json", StoreValues.Build(store.Name, options.HostFor(store.Name), options.UrlFor(store.Name), credentials));

    private Task<string> RenderAsync(Store store, string chart, IReadOnlyList<string> files, StoreCredentials? credentials, CancellationToken cancellationToken) =>
        helm.TemplateAsync(store.Release, chart, store.Namespace, files, credentials?.Secrets, cancellationToken);

    /// <summary>FAILED before anything is applied: the render guard or the catalog refused the release.</summary>
    private async Task<StepOutcome> RefuseAsync(Store store, StoreOperationInput input, StoreOperation operation, string refusal, Stopwatch clock)
    {
        var reason = $"{OperationWords.Title(operation)} refused, nothing applied: {refusal}";
        logger.LogWarning("Store {Store}: {Reason}", store.Name, reason);
        await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.RenderRefused, refusal, clock.Elapsed), CancellationToken.None);
        await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(OperationWords.AuditFor(operation).Failed, reason), cancellationToken: CancellationToken.None);
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
}
