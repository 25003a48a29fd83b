namespace StoreProvisioning.Persistence;

/// <summary>The audit trail's vocabulary: "{what}.{outcome}". Metrics count the ".requested" rows.</summary>
public static class AuditActions
{
    public const string CreateRequested = "create.requested";
    public const string UpgradeRequested = "upgrade.requested";
    public const string RollbackRequested = "rollback.requested";
    public const string RetryRequested = "retry.requested";
    public const string DeleteRequested = "delete.requested";
    public const string OperationCancelled = "operation.cancelled";

    public const string NamespaceReady = "namespace.ready";
    public const string NamespaceFailed = "namespace.failed";
    public const string InstallStarted = "install.started";
    public const string InstallSucceeded = "install.succeeded";
    public const string InstallFailed = "install.failed";
    public const string UpgradeStarted = "upgrade.started";
    public const string UpgradeSucceeded = "upgrade.succeeded";
    public const string UpgradeFailed = "upgrade.failed";
    public const string RollbackStarted = "rollback.started";
    public const string RollbackSucceeded = "rollback.succeeded";
    public const string RollbackFailed = "rollback.failed";
    public const string UninstallSucceeded = "uninstall.succeeded";
    public const string UninstallFailed = "uninstall.failed";
    public const string NamespaceDeleted = "namespace.deleted";
    public const string NamespaceDeleteFailed = "namespace.delete-failed";
    public const string StoreRemoved = "store.removed";
    public const string OperationTimedOut = "operation.timed-out";
    public const string OperationNotStarted = "operation.not-started";
    public const string ReleaseRecovered = "release.recovered";
    public const string Diagnostics = "diagnostics.collected";
    public const string ReconcileFailed = "reconcile.failed";
    public const string ReconcileRedriven = "reconcile.redriven";
    public const string ReconcileDrift = "reconcile.drift";
    public const string NamespaceStuck = "namespace.stuck";
    public const string RenderRefused = "release.refused";
    public const string IsolationReapplied = "isolation.reapplied";
    public const string DeleteBlocked = "delete.blocked";
    public const string WebhookDelivered = "webhook.delivered";
    public const string WebhookFailed = "webhook.failed";
}
