namespace StoreProvisioning.Stores;

/// <summary>One audit row. Outlives its store.</summary>
public sealed record ActivityEntry(
    long Id,
    string Action,
    string StoreName,
    string? UserId,
    DateTimeOffset Timestamp,
    string? Detail,
    string? Actor = null);
