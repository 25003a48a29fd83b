namespace StoreProvisioning.Application;

/// <summary>How an application call ended, in terms the HTTP layer maps one-to-one to status codes.</summary>
public enum ResultKind
{
    /// <summary>Done or accepted (200/202).</summary>
    Ok,

    /// <summary>The request is wrong (400), with per-field errors where a field is to blame.</summary>
    Invalid,

    /// <summary>A guardrail refuses it (403), e.g. the per-user store limit.</summary>
    Forbidden,

    /// <summary>No such store (404).</summary>
    NotFound,

    /// <summary>The store's state does not allow it now (409).</summary>
    Conflict,
}

/// <summary>The outcome of an application call: a value, or a refusal a person can act on.</summary>
public sealed record ServiceResult<T>(ResultKind Kind, T? Value, string? Title = null, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>A problem type of its own for this refusal (RFC 9457 "type"); null for the status code's generic one.</summary>
    public string? ProblemType { get; init; }

    public static ServiceResult<T> Ok(T value) => new(ResultKind.Ok, value);

    public static ServiceResult<T> Refuse(ResultKind kind, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(kind, default, title, detail, errors);
}
