using StoreProvisioning.Stores;

namespace StoreProvisioning.Validation;

/// <summary>POST /api/stores, validated. UserId is null when a user left it out (they create for themself).</summary>
public sealed record CreateStoreRequest(string StoreName, string? UserId, StoreEngine Engine);

/// <summary>Either a parsed request or the errors per field, as ASP.NET's ValidationProblemDetails shows them.</summary>
public sealed record Validated<T>(T? Value, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static Validated<T> Ok(T value) => new(value, new Dictionary<string, string[]>());

    public static Validated<T> Fail(Dictionary<string, List<string>> errors) =>
        new(default, errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
}
