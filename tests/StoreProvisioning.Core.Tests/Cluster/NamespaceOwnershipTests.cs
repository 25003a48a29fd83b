using System.Text.Json;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class NamespaceOwnershipTests
{
    private const string Id = "0f8e3c2a9b7d4e6f8a1b2c3d4e5f6a7b";

    private static JsonElement Namespace(string labels, string phase = "Active") =>
        JsonDocument.Parse("{\"metadata\":{\"name\":\"store-acme\",\"labels\":{" + labels + "}},\"status\":{\"phase\":\"" + phase + "\"}}").RootElement;

    private const string Legacy = "\"app.kubernetes.io/managed-by\":\"store-provisioning\",\"store-provisioning.io/store\":\"acme\"";

    // No namespace: the platform chart creates it.
    [Fact]
    public void Absent() => Assert.Equal(NamespaceClaim.Absent, NamespaceOwnership.Decide(null, Id, "acme", adoptUnlabelled: false).Claim);

    // Labelled with this store's id: ours, whatever the operation.
    [Fact]
    public void Same_id_is_ours() =>
        Assert.Equal(NamespaceClaim.Ours, NamespaceOwnership.Decide(Namespace($"\"store-provisioning.io/store-id\":\"{Id}\""), Id, "acme", false).Claim);

    // Another store's id: refused, naming both ids, even for an existing store's upgrade.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Other_id_is_foreign(bool adopt)
    {
        var (claim, reason) = NamespaceOwnership.Decide(Namespace(Legacy + ",\"store-provisioning.io/store-id\":\"deadbeef\""), Id, "acme", adopt);
        Assert.Equal(NamespaceClaim.Foreign, claim);
        Assert.Contains("store-provisioning.io/store-id=deadbeef", reason);
        Assert.Contains(Id, reason);
    }

    // A namespace from before ids: adopted by an existing store (upgrade, retry), never by a first install.
    [Fact]
    public void Legacy_namespace_is_adopted_only_by_an_existing_store()
    {
        Assert.Equal(NamespaceClaim.Ours, NamespaceOwnership.Decide(Namespace(Legacy), Id, "acme", adoptUnlabelled: true).Claim);
        var (claim, reason) = NamespaceOwnership.Decide(Namespace(Legacy), Id, "acme", adoptUnlabelled: false);
        Assert.Equal(NamespaceClaim.Foreign, claim);
        Assert.Contains("without a store-provisioning.io/store-id label", reason);
    }

    // Someone else's namespace (not managed by the control plane, or for another store name) is never adopted.
    [Theory]
    [InlineData("")]
    [InlineData("\"app.kubernetes.io/managed-by\":\"Helm\",\"store-provisioning.io/store\":\"acme\"")]
    [InlineData("\"app.kubernetes.io/managed-by\":\"store-provisioning\",\"store-provisioning.io/store\":\"other\"")]
    public void Unmanaged_namespaces_are_foreign(string labels) =>
        Assert.Equal(NamespaceClaim.Foreign, NamespaceOwnership.Decide(Namespace(labels), Id, "acme", adoptUnlabelled: true).Claim);

    // A namespace still terminating cannot take a store, even its own.
    [Fact]
    public void Terminating_namespace_waits()
    {
        var (claim, reason) = NamespaceOwnership.Decide(Namespace($"\"store-provisioning.io/store-id\":\"{Id}\"", "Terminating"), Id, "acme", true);
        Assert.Equal(NamespaceClaim.Terminating, claim);
        Assert.Contains("still being deleted", reason);
    }
}
