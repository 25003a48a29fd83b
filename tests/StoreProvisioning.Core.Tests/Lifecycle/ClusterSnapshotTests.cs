using System.Text.Json;
using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class ClusterSnapshotTests
{
    private const string PlatformList = """
        {"apiVersion":"v1","kind":"List","items":[
          {"kind":"Namespace","metadata":{"name":"store-acme","labels":{"store-provisioning.io/store-id":"id-acme"}},"status":{"phase":"Active"}},
          {"kind":"Namespace","metadata":{"name":"store-gone","labels":{"store-provisioning.io/store-id":"id-gone"}},"status":{"phase":"Terminating"}},
          {"kind":"ResourceQuota","metadata":{"name":"store-quota","namespace":"store-acme"}},
          {"kind":"NetworkPolicy","metadata":{"name":"store-default-deny","namespace":"store-acme"}}
        ]}
        """;

    private static readonly IReadOnlySet<string> Expected = new HashSet<string> { "ResourceQuota/store-quota", "NetworkPolicy/store-default-deny" };

    private static ClusterSnapshot Snapshot()
    {
        using var list = JsonDocument.Parse(PlatformList);
        return ClusterSnapshot.Read([new HelmListedRelease("acme", "store-acme", new HelmReleaseStatus("deployed", 2, null))], list.RootElement);
    }

    // Releases are looked up by namespace and name; namespaces carry their store id, phase and platform objects.
    [Fact]
    public void Reads_releases_and_namespaces()
    {
        var snapshot = Snapshot();
        Assert.Equal(new HelmReleaseStatus("deployed", 2, null), snapshot.Release("store-acme", "acme"));
        Assert.Null(snapshot.Release("store-other", "acme"));
        Assert.Equal("id-acme", snapshot.Namespace("store-acme")!.StoreId);
        Assert.Equal(Expected.Order(), snapshot.Namespace("store-acme")!.Objects.Order());
        Assert.True(snapshot.Namespace("store-gone")!.Terminating);
        Assert.Null(snapshot.Namespace("store-none"));
    }

    // Isolation is intact only when the namespace exists, carries this store's id and holds every rendered object.
    [Fact]
    public void Isolation_drift_names_what_differs()
    {
        var snapshot = Snapshot();
        Assert.Null(ClusterSnapshot.IsolationDrift(snapshot.Namespace("store-acme"), "store-acme", "id-acme", Expected));
        Assert.Contains("missing", ClusterSnapshot.IsolationDrift(snapshot.Namespace("store-none"), "store-none", "id-none", Expected));
        Assert.Contains("labelled for store id 'id-acme'", ClusterSnapshot.IsolationDrift(snapshot.Namespace("store-acme"), "store-acme", "id-new", Expected));
        var more = new HashSet<string>(Expected) { "LimitRange/store-limits" };
        Assert.Equal("namespace store-acme lacks LimitRange/store-limits", ClusterSnapshot.IsolationDrift(snapshot.Namespace("store-acme"), "store-acme", "id-acme", more));
    }

    // The expected objects come from the render: every namespaced object, the Namespace itself left out.
    [Fact]
    public void Rendered_objects_are_kind_and_name()
    {
        const string render = """
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: store-acme
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: store-quota
              namespace: store-acme
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: store-default-deny
            """;
        Assert.Equal(Expected.Order(), RenderedObjects.NamespacedIn(render).Order());
        Assert.Throws<FormatException>(() => RenderedObjects.NamespacedIn("a: [unclosed"));
    }
}
