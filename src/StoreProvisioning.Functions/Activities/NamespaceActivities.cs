using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Cluster steps on the store's namespace: put the platform's isolation on it before an install or upgrade, delete it
/// at the end of a delete.
/// </summary>
public sealed class NamespaceActivities(
    StoreRepository repository,
    KubectlCli kubectl,
    StoreIsolation isolation,
    ClusterWorkLimiter limiter,
    ILogger<NamespaceActivities> logger)
{
    /// <summary>
    /// Creates namespace store-{name} with the platform's isolation (helm/store-namespace: Pod Security restricted,
    /// the plan's quota and limits, NetworkPolicies, the store id label), or re-applies it. For an install this is the
    /// first cluster step, so the store moves NEW → PROVISIONING (audit install.started) first. A namespace labelled
    /// for another store id (or still terminating) fails the operation with that reason. Idempotent: `kubectl apply`
    /// of the same render.
    /// </summary>
    [Function(nameof(EnsureNamespace))]
    public async Task<StepOutcome> EnsureNamespace([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (ActivitySupport.Check(store, input, StoreStatus.New, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var ns = store!.Namespace;
        if (input.Effective == StoreOperation.Install)
        {
            if (store.Status == StoreStatus.New)
            {
                var begun = await repository.BeginInstallAsync(
                    store.Name, input.OperationId, new ActivityDraft(AuditActions.InstallStarted, $"namespace {ns}, chart {input.Engine.Name()}"), cancellationToken);
                if (!begun.Applied && !(begun.Store is { Status: StoreStatus.Provisioning } now && now.OperationId == input.OperationId))
                {
                    return StepOutcome.Moved(begun.Reason ?? "The store could not start installing.");
                }
            }
            else if (input.Operation == StoreOperation.Retry)
            {
                await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.InstallStarted, "retry of the failed install"), cancellationToken);
            }
        }

        var clock = Stopwatch.StartNew();
        IsolationResult applied;
        try
        {
            using (await limiter.AcquireAsync(input.OperationId, cancellationToken))
            {
                // A first install never adopts a namespace without this store's id: it may be a deleted store's leftover.
                applied = await isolation.ApplyAsync(store, adoptUnlabelled: input.Operation != StoreOperation.Install, cancellationToken);
            }
        }
        catch (CliCommandException ex)
        {
            var reason = $"{ActivitySupport.Title(input.Effective)} failed: could not create namespace {ns} with its platform isolation: {ActivitySupport.Reason(ex)}";
            logger.LogWarning("Namespace {Namespace} for store {Store} failed: {Reason}", ns, store.Name, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceFailed, ex.Message, clock.Elapsed), CancellationToken.None);
            await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(ActivitySupport.AuditFor(input.Effective).Failed, reason), cancellationToken: CancellationToken.None);
            return StepOutcome.Fail(reason);
        }

        if (applied.Refusal is { } refusal)
        {
            var reason = $"{ActivitySupport.Title(input.Effective)} failed: {refusal}";
            logger.LogWarning("Namespace {Namespace} refused for store {Store}: {Reason}", ns, store.Name, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceFailed, refusal, clock.Elapsed), CancellationToken.None);
            await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(ActivitySupport.AuditFor(input.Effective).Failed, reason), cancellationToken: CancellationToken.None);
            return StepOutcome.Fail(reason);
        }

        await repository.RecordAsync(
            store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceReady, $"{ns}: platform isolation applied (plan {store.Plan})", clock.Elapsed), CancellationToken.None);
        return StepOutcome.Ok();
    }

    /// <summary>
    /// Deletes namespace store-{name} and waits for it to go. When kubectl confirms it is gone the store's row is removed
    /// here, so the removal is not queued again behind other stores' cluster work. When it is not gone (kubectl failed
    /// or timed out), the row stays DELETING as a tombstone with the reason and what still blocks the namespace: the
    /// name stays taken until the reconciler's next delete confirms the namespace is gone.
    /// Idempotent: `--ignore-not-found`, and a store already removed is left alone.
    /// </summary>
    [Function(nameof(DeleteNamespace))]
    public async Task<StepOutcome> DeleteNamespace([ActivityTrigger] RemovalRequest request, CancellationToken cancellationToken)
    {
        var input = request.Operation;
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (store is null)
        {
            return StepOutcome.Ok(note: "already removed");
        }

        if (ActivitySupport.Check(store, input, StoreStatus.Deleting) is { } stop)
        {
            return stop;
        }

        var problem = await DeleteAsync(store, input, cancellationToken);
        if (problem is not null)
        {
            await StoreRemoval.HoldAsync(repository, request with { Problems = [.. request.Problems, problem] }, logger, CancellationToken.None);
            return StepOutcome.Fail(problem);
        }

        return await StoreRemoval.RemoveAsync(repository, request, logger, CancellationToken.None);
    }

    /// <summary>kubectl delete namespace under a cluster slot; null when it went, else the reason it did not.</summary>
    private async Task<string?> DeleteAsync(Store store, StoreOperationInput input, CancellationToken cancellationToken)
    {
        var ns = store.Namespace;
        var clock = Stopwatch.StartNew();
        using var slot = await limiter.AcquireAsync(input.OperationId, cancellationToken);
        try
        {
            await kubectl.DeleteNamespaceAsync(ns, cancellationToken);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceDeleted, ns, clock.Elapsed), CancellationToken.None);
            return null;
        }
        catch (CliCommandException ex)
        {
            var blockers = await NamespaceBlockers.DescribeAsync(kubectl, ns, logger, CancellationToken.None);
            var reason = $"namespace {ns} was not deleted: {ActivitySupport.Reason(ex)}" + (blockers is null ? string.Empty : $"; {blockers}");
            logger.LogWarning("Deleting namespace {Namespace} failed: {Reason}", ns, reason);
            await repository.RecordAsync(
                store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceDeleteFailed, $"{ex.Message} {blockers}".Trim(), clock.Elapsed), CancellationToken.None);
            return reason;
        }
    }
}
