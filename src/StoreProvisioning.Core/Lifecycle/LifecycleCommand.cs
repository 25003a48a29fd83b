namespace StoreProvisioning.Lifecycle;

/// <summary>Everything that can move a store from one status to another.</summary>
public enum LifecycleCommand
{
    /// <summary>Operator: re-apply the chart with optional overrides.</summary>
    Upgrade,

    /// <summary>Operator: roll the release back to an earlier revision.</summary>
    Rollback,

    /// <summary>Operator: re-run the operation that failed.</summary>
    Retry,

    /// <summary>Operator: uninstall the release and remove the namespace and the row.</summary>
    Delete,

    /// <summary>System: the install's first cluster step has started.</summary>
    BeginInstall,

    /// <summary>System: helm reports the release deployed.</summary>
    Succeed,

    /// <summary>System: an in-flight operation failed or timed out.</summary>
    Fail,

    /// <summary>System: the reconciler found a READY store's release missing or broken.</summary>
    FlagDrift,

    /// <summary>Operator: stop the operation in flight; the store is left FAILED and can be retried.</summary>
    Cancel,
}
