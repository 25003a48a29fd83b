using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The end of a delete: removes the DELETING store's row once its namespace is confirmed gone, with store.removed
/// naming partial failures (e.g. a failed helm uninstall). Until then the row stays DELETING as a tombstone holding the
/// name and the reason; the reconciler starts the delete again. A step of its own only when
/// <see cref="DeleteNamespaceAndRemoveStore"/> did not answer: then it asks kubectl whether the namespace still exists.
/// Idempotent: a second run finds no row.
/// </summary>
public sealed class RemoveStore(StepTelemetry telemetry, StoreRepository repository, KubectlCli kubectl, ILogger<RemoveStore> logger) : StoreActivity<RemovalRequest>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var ns = Store.NamespaceFor(request.Operation.StoreName);
        string? present;
        try
        {
            using var found = await kubectl.GetNamespaceAsync(ns, cancellationToken);
            present = found is null ? null : $"namespace {ns} still exists";
        }
        catch (CliCommandException ex)
        {
            present = $"could not confirm that namespace {ns} is gone: {CliFailureReason.For(ex)}";
        }

        return present is null
            ? await RemoveAsync(request, cancellationToken)
            : await HoldAsync(request with { Problems = [.. request.Problems, present] }, cancellationToken);
    }

    /// <summary>Removes the row: the caller has seen kubectl confirm the namespace is gone.</summary>
    public async Task<StepOutcome> RemoveAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var input = request.Operation;
        var detail = request.Problems.Count == 0
            ? "release and namespace removed"
            : "removed with partial failures: " + string.Join("; ", request.Problems);
        var removed = await repository.RemoveAsync(input.StoreName, input.OperationId, new ActivityDraft(AuditActions.StoreRemoved, detail), cancellationToken);
        if (!removed)
        {
            var store = await repository.GetAsync(input.StoreName, cancellationToken);
            return store is null ? StepOutcome.Ok(note: "already removed") : StepOutcome.Moved($"Store '{store.Name}' is {store.Status.Name()} under another operation; not removed.");
        }

        logger.LogInformation("Store {Store} removed ({Detail})", input.StoreName, detail);
        return StepOutcome.Ok(note: detail);
    }

    /// <summary>Keeps the DELETING row with the reason the namespace is not gone (delete.blocked).</summary>
    public async Task<StepOutcome> HoldAsync(RemovalRequest request, CancellationToken cancellationToken)
    {
        var input = request.Operation;
        var reason = $"Delete not finished: {string.Join("; ", request.Problems)}. The name stays reserved until namespace {Store.NamespaceFor(input.StoreName)} is gone; the reconciler retries the delete.";
        var held = await repository.HoldDeletingAsync(input.StoreName, input.OperationId, reason, new ActivityDraft(AuditActions.DeleteBlocked, reason), cancellationToken);
        logger.LogWarning("Store {Store} kept as DELETING: {Reason}", input.StoreName, reason);
        return held ? StepOutcome.Fail(reason) : StepOutcome.Moved("The store moved on; the tombstone is not recorded on it.");
    }
}
