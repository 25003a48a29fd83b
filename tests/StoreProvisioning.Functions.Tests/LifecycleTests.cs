using System.Text.Json;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>The happy paths of every operation, through the real orchestrators and activities against the fake CLIs.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class LifecycleTests
{
    // Provision with helm 3 and helm 4 ends READY at revision 1 and runs helm exactly as specified (namespace, --wait, --timeout, a values file, no --set).
    [Theory]
    [InlineData("v3.17.3")]
    [InlineData("v4.1.4")]
    public async Task Provision_ends_ready_with_revision_and_the_exact_helm_command(string helmVersion)
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_VERSION", helmVersion));

        var store = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Ready, store!.Status);
        Assert.Equal(1, store.Revision);
        Assert.Null(store.Error);

        var install = Assert.Single(h.Fakes.Calls(), c => c.Tool == "helm" && c.Argv[0] == "upgrade");
        var argv = install.Argv;
        Assert.Equal(["upgrade", "--install", "acme", Path.Combine(RepositoryFiles.Path("helm"), "woocommerce"), "--namespace", "store-acme", "--wait", "--timeout", "30s"], argv.Take(9));
        Assert.DoesNotContain(argv, a => a.StartsWith("--set", StringComparison.Ordinal));
        var valuesFile = argv[argv.ToList().IndexOf("--values") + 1];
        Assert.False(File.Exists(valuesFile), "the private values file is deleted after the run");
        Assert.Equal(0, install.Exit);

        // The values contract reached helm through the file, credentials included.
        using var values = JsonDocument.Parse(h.Fakes.ValuesOf("acme")!);
        Assert.Equal("acme", values.RootElement.GetProperty("store").GetProperty("name").GetString());
        Assert.Equal("acme.localhost", values.RootElement.GetProperty("store").GetProperty("host").GetString());
        Assert.Equal("http://acme.localhost:8080", values.RootElement.GetProperty("store").GetProperty("url").GetString());
        Assert.True(values.RootElement.GetProperty("credentials").GetProperty("adminPassword").GetString()!.Length >= 16);

        // The platform's isolation first (namespace ownership read beside the platform chart's render, which reads the
        // API server endpoints; then applied: the namespace, then its contents), then the release: status read beside
        // the render guard's render, install (which prints the release it wrote: no status read-back). Reads that run
        // side by side may be recorded in either order.
        var sequence = h.Fakes.Calls().Select(c => $"{c.Tool} {c.Argv[0]} {c.Argv[1]}").Where(c => !c.StartsWith("helm version", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, sequence.Count);
        Assert.Equal(["helm template acme", "kubectl get endpoints", "kubectl get namespace"], sequence[..3].Order(StringComparer.Ordinal));
        Assert.True(sequence.IndexOf("kubectl get endpoints") < sequence.IndexOf("helm template acme"), "the render needs the API server's addresses");
        Assert.Equal(["kubectl apply --filename", "kubectl apply --filename"], sequence[3..5]);
        Assert.Equal(["helm status acme", "helm template acme"], sequence[5..7].Order(StringComparer.Ordinal));
        Assert.Equal(["helm upgrade --install"], sequence[7..]);
        var templates = h.Fakes.Calls().Where(c => c.Argv[0] == "template").ToList();
        Assert.Equal(Path.Combine(RepositoryFiles.Path("helm"), "store-namespace"), templates[0].Argv[2]);
        Assert.Equal(Path.Combine(RepositoryFiles.Path("helm"), "woocommerce"), templates[1].Argv[2]);
        Assert.Equal(
            [AuditActions.CreateRequested, AuditActions.InstallStarted, AuditActions.NamespaceReady, AuditActions.InstallSucceeded],
            await h.ActionsAsync("acme"));
        var succeeded = (await h.AuditAsync("acme")).First(a => a.Action == AuditActions.InstallSucceeded);
        Assert.Contains("revision 1", succeeded.Detail);
    }

    // An upgrade with overrides re-applies the chart with a second values file, the version's rollback flag, and no credentials; READY at revision 2.
    [Theory]
    [InlineData("v3.17.3", "--atomic")]
    [InlineData("v4.1.4", "--rollback-on-failure")]
    public async Task Upgrade_with_overrides_ends_ready_at_revision_2(string helmVersion, string rollbackFlag)
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_VERSION", helmVersion));
        await h.ProvisionAsync("acme");

        var store = await h.UpgradeAsync("acme", """{"replicaCount":2}""");

        Assert.Equal(StoreStatus.Ready, store!.Status);
        Assert.Equal(2, store.Revision);
        Assert.Equal(StoreOperation.Upgrade, store.Operation);
        var upgrade = h.Fakes.Calls().Last(c => c.Tool == "helm" && c.Argv[0] == "upgrade");
        Assert.Contains(rollbackFlag, upgrade.Argv);
        Assert.Equal(2, upgrade.Argv.Count(a => a == "--values"));
        Assert.DoesNotContain(upgrade.Argv, a => a.StartsWith("--set", StringComparison.Ordinal));
        using var storeValues = JsonDocument.Parse(h.Fakes.ValuesOf("acme")!);
        Assert.False(storeValues.RootElement.TryGetProperty("credentials", out _), "an upgrade leaves credentials to the chart's existing Secret");
        using var overrides = JsonDocument.Parse(h.Fakes.ValuesOf("acme", 1)!); // the catalog's plan and version, then the overrides
        Assert.Equal(2, overrides.RootElement.GetProperty("replicaCount").GetInt32());
        Assert.Equal("6.8.3-php8.3-apache", overrides.RootElement.GetProperty("image").GetProperty("tag").GetString());
        Assert.Contains(AuditActions.UpgradeSucceeded, await h.ActionsAsync("acme"));
    }

    // Rollback without a revision picks the last good revision before the current one (helm history) and ends READY at the new revision.
    [Fact]
    public async Task Rollback_picks_the_previous_good_revision()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        await h.UpgradeAsync("acme");

        var store = await h.RollbackAsync("acme");

        Assert.Equal(StoreStatus.Ready, store!.Status);
        Assert.Equal(3, store.Revision);
        Assert.Contains(h.Fakes.Calls(), c => c.Argv.Take(3).SequenceEqual(["rollback", "acme", "1"]));
        using var release = h.Fakes.Release("store-acme", "acme")!;
        Assert.Equal("Rollback to 1", release.RootElement.GetProperty("revisions")[2].GetProperty("description").GetString());
        Assert.Contains(AuditActions.RollbackSucceeded, await h.ActionsAsync("acme"));
    }

    // A rollback to a revision helm does not have ends FAILED with RollbackTarget's reason, and helm rollback never runs.
    [Fact]
    public async Task Rollback_without_a_target_fails_with_the_reason()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        await h.UpgradeAsync("acme");
        var accepted = await h.Stores.RollbackAsync(Callers.Operator, "acme", 1);
        // The API refuses revisions it knows are wrong; helm's history is the authority, so ask the activity for one helm never had.
        var input = accepted.Value! with { OperationArgs = """{"values":null,"revision":7}""" };

        var store = await h.RunAsync(input);

        Assert.Equal(StoreStatus.Failed, store!.Status);
        Assert.Contains("Revision 7 is not in the release history", store.Error);
        Assert.DoesNotContain(h.Fakes.Calls(), c => c.Argv[0] == "rollback");
    }

    // Delete uninstalls, deletes the namespace and removes the row; the store's audit history stays queryable.
    [Fact]
    public async Task Delete_removes_the_row_and_keeps_the_audit_trail()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");

        var store = await h.DeleteAsync("acme");

        Assert.Null(store);
        Assert.Null(h.Fakes.Release("store-acme", "acme"));
        Assert.False(File.Exists(Path.Combine(h.Fakes.State, "namespaces", "store-acme.json")));
        var actions = await h.ActionsAsync("acme");
        Assert.Equal(
            [AuditActions.DeleteRequested, AuditActions.UninstallSucceeded, AuditActions.NamespaceDeleted, AuditActions.StoreRemoved],
            actions.SkipWhile(a => a != AuditActions.DeleteRequested));
        Assert.Equal(AuditActions.CreateRequested, actions[0]);
        Assert.Equal("release and namespace removed", (await h.AuditAsync("acme"))[0].Detail);
    }

    // Delete with helm uninstall failing and kubectl delete namespace failing keeps the row DELETING (a tombstone) and
    // says what failed; a failed uninstall alone does not keep it (the namespace going takes the release with it).
    [Fact]
    public async Task Delete_with_cluster_failures_keeps_a_tombstone_with_the_reasons()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        h.Fakes.SetBehaviour("acme", "uninstall:fail");
        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "fail");

        var store = await h.DeleteAsync("acme");

        Assert.Equal(StoreStatus.Deleting, store!.Status);
        Assert.Contains("helm uninstall failed", store.Error);
        Assert.Contains("namespace store-acme was not deleted", store.Error);
        var audit = await h.AuditAsync("acme");
        Assert.Contains(audit, a => a.Action == AuditActions.UninstallFailed);
        Assert.Contains(audit, a => a.Action == AuditActions.NamespaceDeleteFailed && a.Detail!.Contains("remaining: pod/acme-app-0", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => a.Action == AuditActions.StoreRemoved);

        await h.ProvisionAsync("shop");
        h.Fakes.SetBehaviour("shop", "uninstall:fail");
        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "ok");
        Assert.Null(await h.DeleteAsync("shop"));
        var removed = (await h.AuditAsync("shop")).First(a => a.Action == AuditActions.StoreRemoved);
        Assert.Contains("partial failures", removed.Detail);
        Assert.Contains("helm uninstall failed", removed.Detail);
    }

    // A namespace stuck Terminating (kubectl delete waits until its --timeout) is reported with its finalizers, and the row stays as a tombstone.
    [Fact]
    public async Task Delete_with_a_hanging_namespace_reports_what_blocks_it()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["HELM_TIMEOUT"] = "1s", ["TERMINATION_GRACE"] = "1s" });
        await h.ProvisionAsync("acme");
        h.Fakes.Kubectl("FAKE_KUBECTL_DELETE_MODE", "hang");

        var store = await h.DeleteAsync("acme");

        Assert.Equal(StoreStatus.Deleting, store!.Status);
        Assert.Contains("timed out", store.Error);
        var failed = (await h.AuditAsync("acme")).First(a => a.Action == AuditActions.NamespaceDeleteFailed);
        Assert.Contains("timed out waiting for the condition", failed.Detail);
        Assert.Contains("phase Terminating", failed.Detail);
        Assert.Contains("finalizers kubernetes", failed.Detail);
    }
}
