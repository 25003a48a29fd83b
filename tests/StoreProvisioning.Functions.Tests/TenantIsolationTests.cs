using System.Text.Json;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>
/// Issue 10 in the orchestrations: the platform's isolation is applied before the release, the render guard refuses a
/// release that reaches outside its namespace, and a namespace labelled for another store is never installed into.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class TenantIsolationTests
{
    // The platform chart's objects (Namespace with the store id and restricted Pod Security, quota, limits, policies)
    // are applied before the release is installed, for the store's plan, and again before an upgrade to a new plan.
    [Fact]
    public async Task Isolation_is_applied_before_the_release()
    {
        await using var h = await Harness.StartAsync();
        var store = await h.ProvisionAsync("acme");

        var calls = h.Fakes.Calls().Select(c => c.Command).ToList();
        var apply = calls.FindIndex(c => c.StartsWith("apply", StringComparison.Ordinal));
        var install = calls.FindIndex(c => c.StartsWith("upgrade --install", StringComparison.Ordinal));
        Assert.True(apply >= 0 && apply < install, string.Join(" | ", calls));
        var render = calls.FindLastIndex(apply, c => c.StartsWith("template", StringComparison.Ordinal)); // beside the ownership read, in either order
        Assert.Contains(h.Fakes.Calls()[render].Argv, a => a.EndsWith(Path.Combine("plans", "small.yaml"), StringComparison.Ordinal));

        using var ns = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json")));
        var labels = ns.RootElement.GetProperty("labels");
        Assert.Equal(store!.Id, labels.GetProperty("store-provisioning.io/store-id").GetString());
        Assert.Equal("restricted", labels.GetProperty("pod-security.kubernetes.io/enforce").GetString());
        Assert.Equal("small", labels.GetProperty("store-provisioning.io/plan").GetString());
        foreach (var name in new[] { "ResourceQuota.store-quota", "LimitRange.store-limits", "NetworkPolicy.store-default-deny" })
        {
            Assert.True(File.Exists(Path.Combine(h.Fakes.State, "objects", "store-acme", name + ".json")), name);
        }

        await h.UpgradeAsync("acme", """{"plan":"large"}""");
        using var after = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json")));
        Assert.Equal("large", after.RootElement.GetProperty("labels").GetProperty("store-provisioning.io/plan").GetString());
    }

    private static readonly Dictionary<string, string?> InCluster = new()
    {
        ["STORE_NAMESPACE_CLUSTER_ROLE"] = "control-plane-control-plane-store-namespace",
        ["CONTROL_PLANE_SERVICE_ACCOUNT"] = "control-plane",
        ["CONTROL_PLANE_NAMESPACE"] = "control-plane",
    };

    // Run by helm/control-plane (its RBAC settings set), the control plane binds its ClusterRole in the new store
    // namespace before anything else: the fake kubectl refuses every namespaced object until the RoleBinding is
    // there, as the API server does under the chart's least-privilege RBAC. The first apply holds only the
    // Namespace and the RoleBinding (what the cluster-scope role allows), the second the rest.
    [Fact]
    public async Task In_the_cluster_the_role_binding_comes_with_the_namespace()
    {
        await using var h = await Harness.StartAsync(f => f.Kubectl("FAKE_KUBECTL_RBAC_ROLEBINDING", "store-provisioning"), InCluster);
        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);

        var applies = h.Fakes.Calls().Where(c => c.Argv[0] == "apply").ToList();
        Assert.Equal(2, applies.Count);
        Assert.All(applies, a => Assert.Equal(0, a.Exit));
        var objects = Path.Combine(h.Fakes.State, "objects", "store-acme");
        var binding = File.ReadAllText(Path.Combine(objects, "RoleBinding.store-provisioning.json"));
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(objects, "RoleBinding.store-provisioning.json")) <= File.GetLastWriteTimeUtc(Path.Combine(objects, "ResourceQuota.store-quota.json")));
        // The settings reached the platform chart's values, and from there the RoleBinding (the fake renders it from
        // the values as the real chart does; Charts.Tests render the real one).
        Assert.Contains("store-acme", binding);
        Assert.Contains("name: control-plane-control-plane-store-namespace", binding);
        Assert.Contains("{kind: ServiceAccount, name: control-plane, namespace: control-plane}", binding);
    }

    // Right after the RoleBinding is created the API server may still refuse (its authorizer's cache lags): the
    // second apply is repeated and the store still becomes READY.
    [Fact]
    public async Task A_role_binding_not_yet_in_force_is_waited_for()
    {
        await using var h = await Harness.StartAsync(
            f => f.Kubectl("FAKE_KUBECTL_RBAC_ROLEBINDING", "store-provisioning").Kubectl("FAKE_KUBECTL_RBAC_LAG", "1"), InCluster);
        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);

        var applies = h.Fakes.Calls().Where(c => c.Argv[0] == "apply").Select(c => c.Exit).ToList();
        Assert.Equal([0, 1, 0], applies);
    }

    // Without the settings (a local run) a single apply of the whole render would do, and no RoleBinding is made; the
    // fake's RBAC check then refuses the contents, which proves the binding is what lets them in.
    [Fact]
    public async Task Without_the_settings_no_role_binding_is_made()
    {
        await using var h = await Harness.StartAsync(f => f.Kubectl("FAKE_KUBECTL_RBAC_ROLEBINDING", "store-provisioning"));
        var store = await h.ProvisionAsync("acme");
        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("forbidden", store.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(h.Fakes.State, "objects", "store-acme", "RoleBinding.store-provisioning.json")));
    }

    // With ISOLATION_ENABLED=false (a cluster without a NetworkPolicy engine) the namespace, quota and limits are
    // still applied, but no NetworkPolicy, and the API server is not looked up.
    [Fact]
    public async Task Isolation_switch_is_an_operator_setting()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["ISOLATION_ENABLED"] = "false" });
        await h.ProvisionAsync("acme");

        var objects = Directory.GetFiles(Path.Combine(h.Fakes.State, "objects", "store-acme")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["LimitRange.store-limits.json", "ResourceQuota.store-quota.json"], objects);
        Assert.DoesNotContain(h.Fakes.Calls(), c => c.Command.StartsWith("get endpoints", StringComparison.Ordinal));
    }

    // The render guard: a release whose render holds a ClusterRoleBinding, an object in another namespace or a kind
    // outside the allow-list is FAILED with the reason and never reaches `helm upgrade`.
    [Theory]
    [InlineData("clusterrolebinding", "ClusterRoleBinding/acme-admin is cluster-scoped")]
    [InlineData("foreign-namespace", "ConfigMap/acme-elsewhere is in namespace kube-system, not store-acme")]
    [InlineData("unknown-kind", "kind ServiceAccount is not in the chart's allow-list")]
    public async Task Render_guard_refuses_and_nothing_is_applied(string mode, string reason)
    {
        await using var h = await Harness.StartAsync();
        h.Fakes.SetBehaviour("acme", "template:" + mode);

        var store = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("Install refused, nothing applied", store.Error);
        Assert.Contains(reason, store.Error);
        Assert.DoesNotContain(h.Fakes.Calls(), c => c.Command.StartsWith("upgrade", StringComparison.Ordinal));
        Assert.Contains(await h.AuditAsync("acme"), a => a.Action == AuditActions.RenderRefused && a.Detail!.Contains(reason, StringComparison.Ordinal));
    }

    // The same guard on upgrade: the release keeps its revision, nothing is upgraded.
    [Fact]
    public async Task Render_guard_refuses_an_upgrade()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        h.Fakes.SetBehaviour("acme", "template:clusterrolebinding");

        var store = await h.UpgradeAsync("acme", """{"version":"6.7"}""");

        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("Upgrade refused, nothing applied", store.Error);
        Assert.Single(h.Fakes.Calls(), c => c.Command.StartsWith("upgrade", StringComparison.Ordinal));
        Assert.Equal(1, store.Revision);
    }

    // A namespace labelled for another store id (e.g. left by an earlier store of that name): the install is FAILED
    // with a reason naming the conflict, the namespace is not relabelled and nothing is rendered or installed.
    [Fact]
    public async Task Namespace_of_another_store_fails_the_install()
    {
        await using var h = await Harness.StartAsync();
        Directory.CreateDirectory(Path.Combine(h.Fakes.State, "namespaces"));
        var leftover = """{"name":"store-acme","labels":{"app.kubernetes.io/managed-by":"store-provisioning","store-provisioning.io/store":"acme","store-provisioning.io/store-id":"00000000000000000000000000000001"},"phase":"Active"}""";
        File.WriteAllText(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json"), leftover);

        var store = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("store-provisioning.io/store-id=00000000000000000000000000000001", store.Error);
        Assert.Contains(store.Id, store.Error);
        Assert.DoesNotContain(h.Fakes.Calls(), c => c.Command.StartsWith("apply", StringComparison.Ordinal) || c.Command.StartsWith("upgrade", StringComparison.Ordinal));
        Assert.Equal(leftover, File.ReadAllText(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json")));
    }
}
