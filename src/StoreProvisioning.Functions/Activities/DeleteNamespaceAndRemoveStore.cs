using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Deletes namespace store-{name} under a cluster slot and waits for it to go. When kubectl confirms it is gone the
/// store's row is removed here (<see cref="RemoveStore"/>), so the removal is not queued again behind other stores'
/// cluster work. When it is not gone (kubectl failed or timed out), the row stays DELETING as a tombstone with the
/// reason and what still blocks the namespace (remaining resources, finalizers): the name stays taken until the
/// reconciler's next delete confirms the namespace is gone. Idempotent: `--ignore-not-found`, and a store already
/// removed is left alone.
/// </summary>
public sealed class DeleteNamespaceAndRemoveStore(StepTelemetry telemetry, 
    StoreRepository repository, KubectlCli kubectl, ClusterStepGate gate, RemoveStore removeStore, ILogger<DeleteNamespaceAndRemoveStore> logger)
    : StoreActivity<RemovalRequest>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var input = request.Operation;
        await using var run = await gate.EnterAsync(input, cancellationToken);
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (store is null)
        {
            return StepOutcome.Ok(note: "already removed");
        }

        if (StepFence.Check(store, input, StoreStatus.Deleting) is { } stop)
        {
            return stop;
        }

        var problem = await DeleteNamespaceAsync(store, input, cancellationToken);
        if (problem is null)
        {
            return await removeStore.RemoveAsync(request, CancellationToken.None);
        }

        var held = await removeStore.HoldAsync(request with { Problems = [.. request.Problems, problem] }, CancellationToken.None);
        return held.Result == StepResult.Superseded ? held : StepOutcome.Fail(problem);
    }

    /// <summary>kubectl delete namespace (the caller holds the cluster step gate); null when it went, else the reason it did not.</summary>
    private async Task<string?> DeleteNamespaceAsync(Store store, StoreOperationInput input, CancellationToken cancellationToken)
    {
        var ns = store.Namespace;
        var clock = Stopwatch.StartNew();
        try
        {
            await kubectl.DeleteNamespaceAsync(ns, cancellationToken);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceDeleted, ns, clock.Elapsed), CancellationToken.None);
            return null;
        }
        catch (CliCommandException ex)
        {
            var blockers = await NamespaceBlockers.DescribeAsync(kubectl, ns, logger, CancellationToken.None);
            var reason = $"namespace {ns} was not deleted: {CliFailureReason.For(ex)}" + (blockers is null ? string.Empty : $"; {blockers}");
            logger.LogWarning("Deleting namespace {Namespace} failed: {Reason}", ns, reason);
            await repository.RecordAsync(
                store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceDeleteFailed, $"{ex.Message} {blockers}".Trim(), clock.Elapsed), CancellationToken.None);
            return reason;
        }
    }
}
