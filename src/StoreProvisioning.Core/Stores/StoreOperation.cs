namespace StoreProvisioning.Stores;

/// <summary>The in-flight or last operation on a store. Serialized in lower case.</summary>
public enum StoreOperation
{
    Install,
    Upgrade,
    Rollback,
    Retry,
    Delete,
}
