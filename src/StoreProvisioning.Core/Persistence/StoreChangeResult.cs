using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>How a conditional write ended.</summary>
public enum ChangeOutcome
{
    /// <summary>The row moved; <see cref="StoreChangeResult.Store"/> is its new state.</summary>
    Applied,

    /// <summary>No store of that name.</summary>
    NotFound,

    /// <summary>The store's status (or its in-flight operation) does not allow the change; nothing was written.</summary>
    Refused,
}

/// <summary>The result of a conditional store update: the row is the lock, so a refusal means someone else got there first.</summary>
public sealed record StoreChangeResult(ChangeOutcome Outcome, Store? Store, Refusal? Refusal = null)
{
    public bool Applied => Outcome == ChangeOutcome.Applied;

    /// <summary>Why the change was refused, in words.</summary>
    public string? Reason => Refusal?.Detail;
}

/// <summary>How an attempt to create a store ended.</summary>
public enum CreateOutcome
{
    Created,
    DuplicateName,
    LimitReached,
    TotalLimitReached,
}

public sealed record CreateStoreResult(CreateOutcome Outcome, Store? Store, int StoresOwned);

/// <summary>An audit row to append: what happened, to which store, and optionally how long it took.</summary>
public sealed record ActivityDraft(string Action, string? Detail = null, TimeSpan? Duration = null)
{
    /// <summary>The actor of the control plane's own steps (orchestration activities, the reconciler).</summary>
    public const string SystemActor = "system";

    /// <summary>Who made the request this row records (the caller's user id); <see cref="SystemActor"/> when unset.</summary>
    public string? Actor { get; init; }

    /// <summary>
    /// The trace the row belongs to when it is not the current span's (a webhook delivery runs outside its operation's
    /// trace); when unset, the current span's.
    /// </summary>
    public string? TraceId { get; init; }
}
