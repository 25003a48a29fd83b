using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class HelmReleaseTests
{
    // HelmReleaseStatus flags: deployed is only "deployed"; pending is any "pending-*".
    [Theory]
    [InlineData("deployed", true, false)]
    [InlineData("pending-install", false, true)]
    [InlineData("pending-upgrade", false, true)]
    [InlineData("pending-rollback", false, true)]
    [InlineData("failed", false, false)]
    [InlineData("superseded", false, false)]
    [InlineData("uninstalling", false, false)]
    [InlineData("Deployed", false, false)]
    public void Release_status_flags(string status, bool deployed, bool pending)
    {
        var release = new HelmReleaseStatus(status, 1, null);
        Assert.Equal(deployed, release.IsDeployed);
        Assert.Equal(pending, release.IsPending);
    }
}
