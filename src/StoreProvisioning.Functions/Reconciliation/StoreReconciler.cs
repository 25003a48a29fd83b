using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using StoreProvisioning.Catalog;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Observability;
using StoreProvisioning.Functions.Notifications;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>
/// Compares every store row with its orchestration and its release, and acts on what <see cref="ReconcileDecision"/>
/// decides: observe here, decide in the pure function, act and record here. The cluster is read once per pass
/// (<see cref="ClusterSnapshot"/>: one `helm list`, one `kubectl get`), whatever the number of stores; further CLI calls
/// go only to stores whose state differs (a release helm does not list, isolation that drifted).
/// </summary>
public sealed class StoreReconciler(
    StoreRepository repository,
    StoreQueries queries,
    HelmCli helm,
    KubectlCli kubectl,
    StoreIsolation isolation,
    StoreCatalog catalog,
    OperationLauncher launcher,
    ClusterSlotQueue slots,
    ClusterStepGate gate,
    StoreProvisioningOptions options,
    TimeProvider clock,
    ControlPlaneMetrics metrics,
    ILogger<StoreReconciler> logger)
{
    // What each (engine, plan) renders into a namespace; the same for every store of that pair, so rendered once.
    private readonly ConcurrentDictionary<(StoreEngine, string), IReadOnlySet<string>> expectedObjects = new();

    /// <summary>
    /// One pass over all stores. Returns how many stores it acted on. A store that cannot be observed is skipped, not
    /// guessed at. Counted in store_reconcile_runs_total: success, or error when the pass, the cluster read or a store's check failed.
    /// </summary>
    public async Task<int> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var succeeded = false;
        try
        {
            (var acted, succeeded) = await PassAsync(client, cancellationToken);
            return acted;
        }
        finally
        {
            metrics.ReconcileRun(succeeded);
        }
    }

    private async Task<(int Acted, bool Succeeded)> PassAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var acted = 0;
        var stores = await queries.ListAsync(cancellationToken: cancellationToken);
        var snapshot = stores.Count == 0 ? null : await SnapshotAsync(cancellationToken);
        var succeeded = stores.Count == 0 || snapshot is not null;
        foreach (var store in stores)
        {
            try
            {
                var observed = await ObserveAsync(client, store, snapshot, cancellationToken);
                var action = ReconcileDecision.Decide(observed, clock.GetUtcNow());
                if (action.Verdict != ReconcileVerdict.None && await ActAsync(client, store, action, cancellationToken))
                {
                    acted++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                succeeded = false;
                logger.LogWarning(ex, "Reconciler could not check store {Store}; it will try again next pass", store.Name);
            }
        }

        succeeded &= await KeepSlotQueueMovingAsync(client, cancellationToken);
        if (acted > 0)
        {
            logger.LogInformation("Reconciler acted on {Count} store(s)", acted);
        }

        return (acted, succeeded);
    }

    // Keeps the cluster slot queue moving: claims of operations that ended without releasing (terminated, crashed,
    // superseded) would block it, and an admitted operation whose wake-up was lost would wait for its own recheck.
    // At most PROVISION_CONCURRENCY instance reads per pass, whatever the length of the queue.
    private async Task<bool> KeepSlotQueueMovingAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            var admitted = await slots.ReleaseStaleAsync(options.ProvisionConcurrency, clock.GetUtcNow() - options.OperationDeadline, cancellationToken);
            await ClusterSlot.WakeAsync(client, admitted, "reconciler", cancellationToken);
            var holders = (await slots.AdmittedAsync(options.ProvisionConcurrency, cancellationToken)).Select(c => c.InstanceId).Except(admitted, StringComparer.Ordinal);
            var lost = await ClusterSlot.StillWaitingAsync(client, holders, cancellationToken);
            if (lost.Count > 0)
            {
                // Also true for a wake-up still on its way: a second event is harmless (the operation re-claims and goes on).
                logger.LogInformation("Reconciler told {Count} operation(s) holding a cluster slot but still waiting for it (a wake-up lost or on its way)", lost.Count);
                await ClusterSlot.WakeAsync(client, lost, "reconciler", cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reconciler could not check the cluster slot queue; it will try again next pass");
            return false;
        }
    }

    // Null when the cluster cannot be read: then no verdict is given on any release.
    private async Task<ClusterSnapshot?> SnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            var releases = await helm.ListManagedAsync(cancellationToken);
            using var platform = await kubectl.ListPlatformObjectsAsync(cancellationToken);
            return ClusterSnapshot.Read(releases, platform.RootElement);
        }
        catch (CliCommandException ex)
        {
            logger.LogWarning("Reconciler could not read the cluster this pass: {Reason}", ex.Message);
            return null;
        }
    }

    private async Task<ObservedStore> ObserveAsync(DurableTaskClient client, Store store, ClusterSnapshot? snapshot, CancellationToken cancellationToken)
    {
        var orchestration = await OrchestrationStateAsync(client, store, cancellationToken);
        switch (store.Status)
        {
            case StoreStatus.Ready when snapshot is not null:
                var release = snapshot.Release(store.Namespace, store.Release);
                if (release is null)
                {
                    // Not listed: removed outside the control plane, or installed before releases carried the managed
                    // label (labelled at their next upgrade). Ask helm about this one release.
                    try
                    {
                        release = await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
                    }
                    catch (CliCommandException ex)
                    {
                        logger.LogInformation("Reconciler could not read release {Store}: {Reason}", store.Name, ex.Message);
                        return new ObservedStore(store, orchestration);
                    }
                }

                var drift = release is { IsDeployed: true } ? await IsolationDriftAsync(store, snapshot, cancellationToken) : null;
                return new ObservedStore(store, orchestration, release, ReleaseChecked: true, IsolationDrift: drift);

            case StoreStatus.Deleting when orchestration == OrchestrationState.Running:
                return new ObservedStore(store, orchestration, NamespaceTerminating: snapshot?.Namespace(store.Namespace)?.Terminating ?? false);

            default:
                return new ObservedStore(store, orchestration);
        }
    }

    private async Task<string?> IsolationDriftAsync(Store store, ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (catalog.FindPlan(store.Plan) is not { } plan)
        {
            return $"plan '{store.Plan}' is not in the catalog";
        }

        if (!expectedObjects.TryGetValue((store.Engine, plan.Name), out var expected))
        {
            expected = RenderedObjects.NamespacedIn(await isolation.RenderAsync(store, plan, cancellationToken));
            expectedObjects[(store.Engine, plan.Name)] = expected;
        }

        return ClusterSnapshot.IsolationDrift(snapshot.Namespace(store.Namespace), store.Namespace, store.Id, expected);
    }

    private async Task<bool> ActAsync(DurableTaskClient client, Store store, ReconcileAction action, CancellationToken cancellationToken)
    {
        switch (action.Verdict)
        {
            case ReconcileVerdict.MarkFailed:
                metrics.DriftDetected(store.Status == StoreStatus.Ready ? DriftKinds.Release : DriftKinds.InterruptedOperation);
                var failed = store.Status == StoreStatus.Ready
                    ? await repository.FlagDriftAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileDrift, action.Reason), cancellationToken)
                    : await repository.FailAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileFailed, action.Reason), cancellationToken: cancellationToken);
                if (failed is { Applied: true, Store: { } now })
                {
                    await StoreEvents.AnnounceFailedAsync(
                        client, options, logger, now, now.FailedOperation ?? store.Operation ?? StoreOperation.Install, "reconciler", clock.GetUtcNow(), cancellationToken);
                }

                return failed.Applied;

            case ReconcileVerdict.Redrive:
                metrics.DriftDetected(DriftKinds.InterruptedDelete);
                await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.ReconcileRedriven, action.Reason), cancellationToken);
                await launcher.RedriveAsync(client, store, clock.GetUtcNow(), cancellationToken);
                return true;

            case ReconcileVerdict.ReportStuckNamespace:
                var detail = $"Namespace {store.Namespace} is stuck Terminating; " + (await NamespaceBlockers.DescribeAsync(kubectl, store.Namespace, logger, cancellationToken) ?? "kubectl lists nothing that blocks it");
                var last = (await queries.ListActivityAsync(1, store.Name, cancellationToken)).FirstOrDefault();
                if (last is { Action: AuditActions.NamespaceStuck } && last.Detail == detail)
                {
                    return false; // Already reported, nothing new to say.
                }

                metrics.DriftDetected(DriftKinds.NamespaceStuck);

                await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.NamespaceStuck, detail), cancellationToken);
                return true;

            case ReconcileVerdict.ReapplyIsolation:
                IsolationResult applied;
                // Only for a store whose isolation differs from its render. Not counted as an action; only a refusal or
                // a failure is worth an audit row (a CLI failure is logged by RunAsync).
                // Never beside a step of the store (an upgrade accepted since the pass read it applies the isolation
                // itself): then the store is left to that step, and to the next pass.
                await using (var run = await gate.TryEnterAsync(store.Name, cancellationToken))
                {
                    var current = run is null ? null : await repository.GetAsync(store.Name, cancellationToken);
                    if (current is null || current.Status != StoreStatus.Ready || current.OperationId != store.OperationId)
                    {
                        logger.LogInformation("Reconciler leaves the isolation of store {Store} alone: a step of the store runs now, or it changed since the pass read it", store.Name);
                        return false;
                    }

                    // A kubectl apply is cluster work: it takes a free cluster slot, so PROVISION_CONCURRENCY bounds it
                    // with the operations' steps across every instance, and it never queues ahead of an operation.
                    var slot = await slots.TryTakeFreeSlotAsync(store.Name, options.ProvisionConcurrency, cancellationToken);
                    if (slot is null)
                    {
                        logger.LogInformation("Reconciler leaves the isolation of store {Store} to the next pass: no cluster slot is free", store.Name);
                        return false;
                    }

                    try
                    {
                        logger.LogInformation("Reconciler re-applies the isolation of store {Store}: {Drift}", store.Name, action.Reason);
                        metrics.DriftDetected(DriftKinds.Isolation);
                        applied = await isolation.ApplyAsync(current, adoptUnlabelled: true, cancellationToken);
                    }
                    finally
                    {
                        // An operation that queued while the repair held the slot is admitted now.
                        var admitted = await slots.ReleaseAsync(slot, options.ProvisionConcurrency, CancellationToken.None);
                        await ClusterSlot.WakeAsync(client, admitted, "reconciler", CancellationToken.None);
                    }
                }

                if (applied.Refusal is { } refusal)
                {
                    await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.ReconcileFailed, $"platform isolation not re-applied: {refusal}"), cancellationToken);
                    return true;
                }

                return false;

            default:
                return false;
        }
    }

    // An operation may have several instances (a redrive adds one); any of them running means the store is in hand.
    private static async Task<OrchestrationState> OrchestrationStateAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = OperationLauncher.InstanceIdFor(store), PageSize = 20 };
        var seen = false;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            seen = true;
            if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
            {
                return OrchestrationState.Running;
            }
        }

        return seen ? OrchestrationState.Ended : OrchestrationState.Missing;
    }
}
