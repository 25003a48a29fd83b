using Microsoft.Extensions.Logging;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The end of a delete: removes the DELETING store's row, whatever the cleanup's outcome, with store.removed naming
/// the partial failures. A step of its own only when <see cref="DeleteNamespaceAndRemoveStore"/> did not answer.
/// Idempotent: a second run finds no row.
/// </summary>
public sealed class RemoveStore(StoreRepository repository, ILogger<RemoveStore> logger) : StoreActivity<RemovalRequest>
{
    public override async Task<StepOutcome> RunAsync(RemovalRequest request, CancellationToken cancellationToken)
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
