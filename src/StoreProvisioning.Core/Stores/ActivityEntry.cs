namespace StoreProvisioning.Stores;

/// <summary>One audit row. Outlives its store.</summary>
/// <param name="TraceId">The W3C trace id (32 hex digits) of the operation or request that wrote it, when it ran in a trace.</param>
public sealed record ActivityEntry(
    long Id,
    string Action,
    string StoreName,
    string? UserId,
    DateTimeOffset Timestamp,
    string? Detail,
    string? Actor = null,
    string? TraceId = null);
