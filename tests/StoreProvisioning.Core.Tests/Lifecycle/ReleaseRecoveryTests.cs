using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class ReleaseRecoveryTests
{
    // Release status → recovery step, for a table of statuses and histories (issue 5, stuck-release recovery).
    [Theory]
    [InlineData(null, 0, "", RecoveryAction.None, null)]
    [InlineData("deployed", 3, "1:superseded 2:superseded 3:deployed", RecoveryAction.None, null)]
    [InlineData("failed", 2, "1:superseded 2:failed", RecoveryAction.None, null)]
    [InlineData("superseded", 1, "1:superseded", RecoveryAction.None, null)]
    [InlineData("uninstalling", 1, "1:uninstalling", RecoveryAction.None, null)]
    [InlineData("pending-install", 1, "1:pending-install", RecoveryAction.UninstallThenInstall, null)]
    [InlineData("pending-install", 2, "1:failed 2:pending-install", RecoveryAction.UninstallThenInstall, null)]
    [InlineData("pending-upgrade", 2, "1:deployed 2:pending-upgrade", RecoveryAction.RollbackToLastDeployed, 1)]
    [InlineData("pending-upgrade", 4, "1:superseded 2:superseded 3:failed 4:pending-upgrade", RecoveryAction.RollbackToLastDeployed, 2)]
    [InlineData("pending-rollback", 5, "1:superseded 2:superseded 3:superseded 4:failed 5:pending-rollback", RecoveryAction.RollbackToLastDeployed, 3)]
    [InlineData("pending-upgrade", 2, "1:failed 2:pending-upgrade", RecoveryAction.UninstallThenInstall, null)]
    [InlineData("pending-rollback", 1, "1:pending-rollback", RecoveryAction.UninstallThenInstall, null)]
    [InlineData("pending-upgrade", 3, "", RecoveryAction.UninstallThenInstall, null)]
    public void Decide_maps_status_and_history_to_recovery(string? status, int revision, string history, RecoveryAction action, int? target)
    {
        var observed = status is null ? null : new HelmReleaseStatus(status, revision, null);
        var (decided, to) = ReleaseRecovery.Decide(observed, RollbackTargetTests.History(history));
        Assert.Equal(action, decided);
        Assert.Equal(target, to);
    }

    // The recovery target is always older than the pending revision, never a later good one left in history.
    [Fact]
    public void Recovery_target_is_before_the_pending_revision()
    {
        var (action, to) = ReleaseRecovery.Decide(
            new HelmReleaseStatus(HelmStatuses.PendingUpgrade, 2, null),
            RollbackTargetTests.History("1:superseded 2:pending-upgrade 3:deployed"));
        Assert.Equal(RecoveryAction.RollbackToLastDeployed, action);
        Assert.Equal(1, to);
    }
}
