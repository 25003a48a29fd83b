using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>The one fencing check every step passes before it acts: is this still the store's operation?</summary>
public static class StepFence
{
    /// <summary>
    /// Null when the step may go on: the store still exists, still carries this operation id, and is in one of
    /// <paramref name="expected"/>. A READY store of the same operation means the step already succeeded (a
    /// re-delivered activity): reported as success, nothing is redone. Otherwise the step is superseded.
    /// </summary>
    public static StepOutcome? Check(Store? store, StoreOperationInput input, params StoreStatus[] expected)
    {
        if (Owns(store, input) is { } moved)
        {
            return moved;
        }

        if (expected.Contains(store!.Status))
        {
            return null;
        }

        return store.Status == StoreStatus.Ready && !expected.Contains(StoreStatus.Deleting)
            ? StepOutcome.Ok(store.Revision, "already done")
            : StepOutcome.Moved($"Store '{store.Name}' is {store.Status.Name()}; this step no longer applies.");
    }

    /// <summary>Null when the store still exists and still carries this operation id; otherwise why the step is superseded.</summary>
    public static StepOutcome? Owns(Store? store, StoreOperationInput input) =>
        store is null ? StepOutcome.Moved($"Store '{input.StoreName}' no longer exists.")
        : store.OperationId != input.OperationId ? StepOutcome.Moved($"A newer operation ({store.Operation?.Name()}) has taken over store '{store.Name}'.")
        : null;
}
