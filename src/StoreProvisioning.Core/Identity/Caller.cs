namespace StoreProvisioning.Identity;

/// <summary>
/// Who made a request, from a verified credential (or, only in AUTH_MODE=none, whoever the body says).
/// </summary>
/// <param name="UserId">The caller's user id: the owner of the stores they create.</param>
/// <param name="Role">What they may do.</param>
public sealed record Caller(string UserId, Role Role)
{
    /// <summary>Operators and admins see and act on every store.</summary>
    public bool SeesAllStores => Role >= Role.Operator;

    /// <summary>The user whose stores a query is limited to: the caller for a user, nobody (all stores) otherwise.</summary>
    public string? OwnerScope => SeesAllStores ? null : UserId;

    /// <summary>May this caller see and act on a store owned by <paramref name="ownerUserId"/>?</summary>
    public bool MayAccess(string ownerUserId) => SeesAllStores || string.Equals(ownerUserId, UserId, StringComparison.Ordinal);
}
