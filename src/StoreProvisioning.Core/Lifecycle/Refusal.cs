using StoreProvisioning.Stores;

namespace StoreProvisioning.Lifecycle;

/// <summary>Why a request was refused; the HTTP layer maps each kind to one status code.</summary>
public enum RefusalKind
{
    /// <summary>The request is wrong by definition, e.g. retrying a store that did not fail (400).</summary>
    Invalid,

    /// <summary>A guardrail refuses it, e.g. the per-user store limit (403).</summary>
    Forbidden,

    /// <summary>No such store (404).</summary>
    NotFound,

    /// <summary>The store is busy or in the wrong state right now (409).</summary>
    Conflict,
}

/// <summary>
/// The one vocabulary of refusals, from the transition table through the repository and the application service to
/// problem+json: what kind, a title and a detail a person can act on, and per-field errors where a field is to blame.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Refusal NotFound(string name) =>
        new(RefusalKind.NotFound, "Store not found", $"There is no store named '{name}'. GET /api/stores lists the stores.");

    public static Refusal Conflict(string detail) => new(RefusalKind.Conflict, "Store is busy or in the wrong state", detail);

    public static Refusal Invalid(string detail) => new(RefusalKind.Invalid, "Operation not applicable", detail);
}

/// <summary>The outcome of asking the transition table whether a command applies.</summary>
public sealed record TransitionResult(bool Allowed, StoreStatus? To, Refusal? Refusal)
{
    public static TransitionResult Move(StoreStatus to) => new(true, to, null);

    public static TransitionResult Refuse(Refusal refusal) => new(false, null, refusal);
}
