using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>How a finished operation ended.</summary>
public enum OperationResult
{
    /// <summary>READY (install, upgrade, rollback, retry) or the row removed (delete).</summary>
    Succeeded,

    /// <summary>FAILED: the operation's own failure, its deadline, or the reconciler finding it interrupted.</summary>
    Failed,

    /// <summary>An operator cancelled it while it was in flight.</summary>
    Cancelled,
}

/// <summary>
/// One finished operation, as the operation_runs table keeps it: written in the same transaction as the outcome on the
/// store (READY, FAILED, cancelled, row removed), once per operation id.
/// </summary>
/// <param name="UserId">The store's owner, so a user's queries see only their own stores' runs.</param>
/// <param name="StartedAt">When the operation was accepted (the store row records it when the operation begins).</param>
public sealed record OperationRun(
    string OperationId,
    string StoreName,
    string UserId,
    StoreOperation Operation,
    OperationResult Result,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    public TimeSpan Duration => FinishedAt > StartedAt ? FinishedAt - StartedAt : TimeSpan.Zero;
}

/// <summary>Told of every operation run once it is committed (e.g. to count it in metrics). Must not throw.</summary>
public interface IOperationRunObserver
{
    void Finished(OperationRun run);
}

public static class OperationResults
{
    /// <summary>The wire and label spelling: succeeded, failed, cancelled.</summary>
    public static string Name(this OperationResult result) => result.ToString().ToLowerInvariant();

    public static OperationResult Parse(string text) => Enum.Parse<OperationResult>(text, ignoreCase: true);
}
