namespace StoreProvisioning.Identity;

/// <summary>Well-known callers of the control plane's own code paths and of tests.</summary>
public static class Callers
{
    /// <summary>An operator: sees and acts on every store (what tests of the lifecycle itself act as).</summary>
    public static readonly Caller Operator = new("operator", Role.Operator);
}
