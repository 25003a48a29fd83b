using StoreProvisioning.Stores;

namespace StoreProvisioning.Lifecycle;

/// <summary>Why a command was refused: a conflict with the current state, or a request that can never apply.</summary>
public enum RefusalKind
{
    /// <summary>The store is busy or in the wrong state right now (HTTP 409).</summary>
    Conflict,

    /// <summary>The request is wrong for this state by definition, e.g. retrying a store that did not fail (HTTP 400).</summary>
    Invalid,
}

/// <summary>The outcome of asking the transition table whether a command applies.</summary>
public sealed record TransitionResult(bool Allowed, StoreStatus? To, RefusalKind? Refusal, string? Reason)
{
    public static TransitionResult Move(StoreStatus to) => new(true, to, null, null);

    public static TransitionResult Refuse(RefusalKind kind, string reason) => new(false, null, kind, reason);
}
