using StoreProvisioning.Cluster;

namespace StoreProvisioning.Lifecycle;

/// <summary>What to do with a release before acting on it.</summary>
public enum RecoveryAction
{
    /// <summary>Nothing is in the way: act as asked.</summary>
    None,

    /// <summary>An interrupted first install left it pending-install: uninstall it, then install afresh.</summary>
    UninstallThenInstall,

    /// <summary>An interrupted upgrade or rollback left it pending: roll back to the last deployed revision first.</summary>
    RollbackToLastDeployed,
}

/// <summary>Observe → decide: from the release's status to the recovery step that unlocks it. Pure.</summary>
public static class ReleaseRecovery
{
    /// <param name="status">`helm status`, or null when there is no release.</param>
    /// <param name="history">`helm history`, oldest first (needed to find the last deployed revision).</param>
    public static (RecoveryAction Action, int? Revision) Decide(HelmReleaseStatus? status, IReadOnlyList<HelmRevision> history)
    {
        switch (status?.Status)
        {
            case HelmStatuses.PendingInstall:
                return (RecoveryAction.UninstallThenInstall, null);
            case HelmStatuses.PendingUpgrade or HelmStatuses.PendingRollback:
                var lastGood = history
                    .Where(r => r.Revision < status.Revision && r.Status is HelmStatuses.Deployed or HelmStatuses.Superseded)
                    .OrderByDescending(r => r.Revision)
                    .FirstOrDefault();
                // With no good revision to return to, only a fresh install unlocks it.
                return lastGood is null ? (RecoveryAction.UninstallThenInstall, null) : (RecoveryAction.RollbackToLastDeployed, lastGood.Revision);
            default:
                return (RecoveryAction.None, null);
        }
    }
}
