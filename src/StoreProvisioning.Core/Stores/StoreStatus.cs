namespace StoreProvisioning.Stores;

/// <summary>Where a store is in its lifecycle. Serialized in upper case (NEW, PROVISIONING, ...).</summary>
public enum StoreStatus
{
    New,
    Provisioning,
    Ready,
    Failed,
    Deleting,
}
