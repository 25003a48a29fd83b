namespace StoreProvisioning.Identity;

/// <summary>Callers the tests act as.</summary>
public static class Callers
{
    /// <summary>An operator: sees and acts on every store (what tests of the lifecycle itself act as).</summary>
    public static readonly Caller Operator = new("operator", Role.Operator);
}
