using Microsoft.Extensions.Logging;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The end of a delete: the row goes once the namespace is confirmed gone, with store.removed naming partial failures
/// (e.g. a failed helm uninstall). Until then the row stays DELETING as a tombstone holding the name and the reason.
/// </summary>
internal static class StoreRemoval
{
    /// <summary>Keeps the DELETING row with the reason the namespace is not gone; the reconciler starts the delete again.</summary>
    public static async Task<StepOutcome> HoldAsync(StoreRepository repository, RemovalRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var input = request.Operation;
        var reason = $"Delete not finished: {string.Join("; ", request.Problems)}. The name stays reserved until namespace {Store.NamespaceFor(input.StoreName)} is gone; the reconciler retries the delete.";
        var held = await repository.HoldDeletingAsync(input.StoreName, input.OperationId, reason, new ActivityDraft(AuditActions.DeleteBlocked, reason), cancellationToken);
        logger.LogWarning("Store {Store} kept as DELETING: {Reason}", input.StoreName, reason);
        return held ? StepOutcome.Fail(reason) : StepOutcome.Moved("The store moved on; the tombstone is not recorded on it.");
    }

    public static async Task<StepOutcome> RemoveAsync(StoreRepository repository, RemovalRequest request, ILogger logger, CancellationToken cancellationToken)
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
}
