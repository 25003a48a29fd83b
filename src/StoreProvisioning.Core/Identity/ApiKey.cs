namespace StoreProvisioning.Identity;

/// <summary>An API key's metadata: what GET /api/keys shows. Never the key, never its hash.</summary>
public sealed record ApiKey(
    string Id,
    string UserId,
    Role Role,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}

/// <summary>A key just created: its metadata and the key itself, which is shown this once and never stored.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Secret);
