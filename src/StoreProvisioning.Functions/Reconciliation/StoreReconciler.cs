using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>
/// Compares every store row with its orchestration and its release, and acts on what <see cref="ReconcileDecision"/>
/// decides: observe here, decide in the pure function, act and record here.
/// </summary>
public sealed class StoreReconciler(
    StoreRepository repository,
    StoreQueries queries,
    HelmCli helm,
    KubectlCli kubectl,
    StoreIsolation isolation,
    OperationLauncher launcher,
    ClusterSlotQueue slots,
    StoreProvisioningOptions options,
    TimeProvider clock,
    ILogger<StoreReconciler> logger)
{
    /// <summary>One pass over all stores. Returns how many stores it acted on. A store that cannot be observed is skipped, not guessed at.</summary>
    public async Task<int> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var acted = 0;
        foreach (var store in await queries.ListAsync(cancellationToken: cancellationToken))
        {
            try
            {
                var observed = await ObserveAsync(client, store, cancellationToken);
                var action = ReconcileDecision.Decide(observed, clock.GetUtcNow());
                if (action.Verdict != ReconcileVerdict.None && await ActAsync(client, store, action, cancellationToken))
                {
                    acted++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reconciler could not check store {Store}; it will try again next pass", store.Name);
            }
        }

        await ReleaseStaleSlotsAsync(client, cancellationToken);
        if (acted > 0)
        {
            logger.LogInformation("Reconciler acted on {Count} store(s)", acted);
        }

        return acted;
    }

    // Claims of operations that ended without releasing (terminated, crashed, superseded) would block the queue.
    private async Task ReleaseStaleSlotsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            var admitted = await slots.ReleaseStaleAsync(options.ProvisionConcurrency, cancellationToken);
            await ClusterSlot.WakeAsync(client, admitted, "reconciler", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reconciler could not release stale cluster slots; it will try again next pass");
        }
    }

    private async Task<ObservedStore> ObserveAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var orchestration = await OrchestrationStateAsync(client, store, cancellationToken);
        switch (store.Status)
        {
            case StoreStatus.Ready:
                try
                {
                    var release = await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
                    return new ObservedStore(store, orchestration, release, ReleaseChecked: true);
                }
                catch (CliCommandException ex)
                {
                    logger.LogInformation("Reconciler could not read release {Store}: {Reason}", store.Name, ex.Message);
                    return new ObservedStore(store, orchestration);
                }

            case StoreStatus.Deleting when orchestration == OrchestrationState.Running:
                return new ObservedStore(store, orchestration, NamespaceTerminating: await IsTerminatingAsync(store.Namespace, cancellationToken));

            default:
                return new ObservedStore(store, orchestration);
        }
    }

    private async Task<bool> ActAsync(DurableTaskClient client, Store store, ReconcileAction action, CancellationToken cancellationToken)
    {
        switch (action.Verdict)
        {
            case ReconcileVerdict.MarkFailed:
                var failed = store.Status == StoreStatus.Ready
                    ? await repository.FlagDriftAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileDrift, action.Reason), cancellationToken)
                    : await repository.FailAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileFailed, action.Reason), cancellationToken: cancellationToken);
                return failed.Applied;

            case ReconcileVerdict.Redrive:
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

                await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.NamespaceStuck, detail), cancellationToken);
                return true;

            case ReconcileVerdict.ReapplyIsolation:
                // Idempotent: the same render applied again changes nothing unless something drifted. Not counted as an
                // action; only a refusal or a failure is worth an audit row (a CLI failure is logged by RunAsync).
                var applied = await isolation.ApplyAsync(store, adoptUnlabelled: true, cancellationToken);
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

    private async Task<bool> IsTerminatingAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await kubectl.GetNamespaceAsync(ns, cancellationToken);
            return document is not null
                && document.RootElement.TryGetProperty("status", out var status)
                && status.TryGetProperty("phase", out var phase)
                && phase.GetString() == "Terminating";
        }
        catch (CliCommandException)
        {
            return false;
        }
    }
}
