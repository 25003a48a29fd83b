using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class RenderGuardTests
{
    private const string Ns = "store-acme";

    private static string Doc(string kind, string name, string? ns = null, string api = "v1") =>
        $"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n" + (ns is null ? string.Empty : $"  namespace: {ns}\n");

    private static readonly string Workload =
        "# Source: woocommerce/templates/secret.yaml\n" + Doc("Secret", "acme-credentials") + Doc("Service", "acme-wordpress")
        + Doc("Deployment", "acme-wordpress", api: "apps/v1") + Doc("StatefulSet", "acme-mariadb", Ns, "apps/v1") + Doc("Job", "acme-setup", api: "batch/v1")
        + Doc("Pod", "acme-test") + Doc("ConfigMap", "acme-apache") + Doc("PersistentVolumeClaim", "acme-content") + Doc("Ingress", "acme", api: "networking.k8s.io/v1") + "---\n";

    // The store charts' own objects, without a namespace or in the store's, pass.
    [Fact]
    public void Workload_in_the_store_namespace_passes() => Assert.Null(RenderGuard.Check(Workload, Ns));

    // A cluster-scoped object (the injection's ClusterRoleBinding to cluster-admin) is refused by name.
    [Theory]
    [InlineData("ClusterRoleBinding")]
    [InlineData("ClusterRole")]
    [InlineData("Namespace")]
    [InlineData("CustomResourceDefinition")]
    [InlineData("MutatingWebhookConfiguration")]
    public void Cluster_scoped_objects_are_refused(string kind)
    {
        var reason = RenderGuard.Check(Workload + Doc(kind, "pwn", api: "rbac.authorization.k8s.io/v1"), Ns);
        Assert.Contains($"{kind}/pwn is cluster-scoped", reason);
    }

    // An allowed kind in another namespace is refused, naming the namespace.
    [Fact]
    public void Objects_in_another_namespace_are_refused()
    {
        var reason = RenderGuard.Check(Workload + Doc("ConfigMap", "coredns", "kube-system"), Ns);
        Assert.Contains("ConfigMap/coredns is in namespace kube-system, not store-acme", reason);
    }

    // A namespaced kind outside the allow-list is refused, listing the allow-list.
    [Theory]
    [InlineData("ServiceAccount")]
    [InlineData("RoleBinding")]
    [InlineData("NetworkPolicy")]
    [InlineData("ResourceQuota")]
    [InlineData("List")]
    public void Kinds_outside_the_allow_list_are_refused(string kind)
    {
        var reason = RenderGuard.Check(Workload + Doc(kind, "x"), Ns);
        Assert.Contains($"kind {kind} is not in the chart's allow-list", reason);
        Assert.Contains("StatefulSet", reason);
    }

    // Output that is not YAML (a raw value broke a template), objects without a kind, non-objects and an empty render are refused.
    [Theory]
    [InlineData("kind: Secret\nmetadata:\n  name: [unclosed\n", "not valid YAML")]
    [InlineData("---\napiVersion: v1\nmetadata:\n  name: x\n", "(no kind)/x has no kind")]
    [InlineData("---\n- a\n- b\n", "not an object")]
    [InlineData("---\n# nothing\n---\n", "rendered no objects")]
    public void Unreadable_renders_are_refused(string manifests, string expected) =>
        Assert.Contains(expected, RenderGuard.Check(manifests, Ns));

    // Many problems are summarised: the first five and a count.
    [Fact]
    public void Many_problems_are_counted()
    {
        var hostile = Workload + string.Concat(Enumerable.Range(0, 7).Select(i => Doc("ClusterRole", $"r{i}")));
        var reason = RenderGuard.Check(hostile, Ns)!;
        Assert.Contains("ClusterRole/r4", reason);
        Assert.DoesNotContain("ClusterRole/r5", reason);
        Assert.EndsWith("(+2 more)", reason);
    }
}
