using System.Text.Json;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Cluster;

public class PlatformValuesTests
{
    private static readonly Store Acme = new()
    {
        Id = "0f8e3c2a9b7d4e6f8a1b2c3d4e5f6a7b", Name = "acme", UserId = "alice", Engine = StoreEngine.WooCommerce, Status = StoreStatus.New,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static StoreProvisioningOptions Options(string? role = null, string? account = null) => new()
    {
        SqlitePath = "/tmp/x.db", ChartsRoot = "/charts", ControlPlaneNamespace = "control-plane",
        StoreNamespaceClusterRole = role, ControlPlaneServiceAccount = account,
    };

    // In the cluster (helm/control-plane sets the settings) the platform values name the ClusterRole, the
    // ServiceAccount and its namespace, so the chart renders the RoleBinding for them.
    [Fact]
    public void Access_settings_reach_the_platform_values()
    {
        using var values = JsonDocument.Parse(PlatformValues.Build(Acme, Options("control-plane-control-plane-store-namespace", "control-plane"), []));
        var access = values.RootElement.GetProperty("controlPlaneAccess");
        Assert.Equal("control-plane-control-plane-store-namespace", access.GetProperty("clusterRole").GetString());
        Assert.Equal("control-plane", access.GetProperty("serviceAccount").GetString());
        Assert.Equal("control-plane", access.GetProperty("serviceAccountNamespace").GetString());
    }

    // Without the settings (local runs) every field is empty: the chart renders no RoleBinding.
    [Fact]
    public void Without_access_settings_the_values_ask_for_no_binding()
    {
        using var values = JsonDocument.Parse(PlatformValues.Build(Acme, Options(), []));
        var access = values.RootElement.GetProperty("controlPlaneAccess");
        foreach (var field in new[] { "clusterRole", "serviceAccount", "serviceAccountNamespace" })
            Assert.Equal("", access.GetProperty(field).GetString());
    }
}
