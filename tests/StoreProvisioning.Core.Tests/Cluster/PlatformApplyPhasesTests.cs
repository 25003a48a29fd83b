using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class PlatformApplyPhasesTests
{
    // helm's order as `helm template` prints the platform chart: the RoleBinding comes last.
    private const string Render = """
        ---
        # Source: store-namespace/templates/namespace.yaml
        apiVersion: v1
        kind: Namespace
        metadata:
          name: "store-acme"
        ---
        # Source: store-namespace/templates/networkpolicy.yaml
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: store-default-deny
          namespace: "store-acme"
          annotations:
            note: |
              text with a
              ---
              line inside a block scalar
        ---
        # Source: store-namespace/templates/resourcequota.yaml
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          name: store-quota
          namespace: "store-acme"
        ---
        # Source: store-namespace/templates/rolebinding.yaml
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: store-provisioning
          namespace: "store-acme"
        """;

    // The Namespace and the RoleBinding go first, everything else after, each object whole.
    [Fact]
    public void Namespace_and_role_binding_come_before_the_contents()
    {
        var phases = PlatformApplyPhases.Split(Render);

        Assert.True(phases.GrantsAccess);
        Assert.Equal(["Namespace", "RoleBinding"], Kinds(phases.Access));
        Assert.Equal(["NetworkPolicy", "ResourceQuota"], Kinds(phases.Contents));
        Assert.Contains("  line inside a block scalar", phases.Contents);
        Assert.DoesNotContain("store-quota", phases.Access);
    }

    // Without the RoleBinding (local runs) the namespace still goes first, and nothing says access was granted.
    [Fact]
    public void Without_a_role_binding_only_the_namespace_goes_first()
    {
        var phases = PlatformApplyPhases.Split(Render[..Render.IndexOf("---\n# Source: store-namespace/templates/rolebinding.yaml", StringComparison.Ordinal)]);
        Assert.False(phases.GrantsAccess);
        Assert.Equal(["Namespace"], Kinds(phases.Access));
        Assert.Equal(["NetworkPolicy", "ResourceQuota"], Kinds(phases.Contents));
    }

    // A render that is not YAML, or an object without a kind, is an error, not something silently skipped.
    [Theory]
    [InlineData("---\napiVersion: v1\nkind: [\n")]
    [InlineData("---\napiVersion: v1\nmetadata: {name: x}\n")]
    public void Broken_render_is_refused(string render) =>
        Assert.Throws<InvalidOperationException>(() => PlatformApplyPhases.Split(render));

    private static List<string> Kinds(string manifests) =>
        manifests.Split('\n').Where(l => l.StartsWith("kind: ", StringComparison.Ordinal)).Select(l => l["kind: ".Length..]).ToList();
}
