using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>How an operation reads in audit rows and in the reasons a person sees.</summary>
public static class OperationWords
{
    /// <summary>The audit actions (started, succeeded, failed) of the operation a step carries out.</summary>
    public static (string Started, string Succeeded, string Failed) AuditFor(StoreOperation operation) => operation switch
    {
        StoreOperation.Upgrade => (AuditActions.UpgradeStarted, AuditActions.UpgradeSucceeded, AuditActions.UpgradeFailed),
        StoreOperation.Rollback => (AuditActions.RollbackStarted, AuditActions.RollbackSucceeded, AuditActions.RollbackFailed),
        StoreOperation.Delete => (AuditActions.DeleteRequested, AuditActions.StoreRemoved, AuditActions.NamespaceDeleteFailed),
        _ => (AuditActions.InstallStarted, AuditActions.InstallSucceeded, AuditActions.InstallFailed),
    };

    /// <summary>"Install", "Upgrade", "Rollback": how an operation reads at the start of a sentence.</summary>
    public static string Title(StoreOperation operation) => operation switch
    {
        StoreOperation.Install => "Install",
        StoreOperation.Upgrade => "Upgrade",
        StoreOperation.Rollback => "Rollback",
        StoreOperation.Retry => "Retry",
        _ => "Delete",
    };
}
