using System.Text.Json;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>Fault injection: every failure ends in a truthful state (FAILED with a reason, or recovered) and retry works afterwards.</summary>
[Collection(OrchestrationCollection.Name)]
public sealed class FaultTests
{
    private static readonly Dictionary<string, string?> ShortTimeouts = new() { ["HELM_TIMEOUT"] = "2s", ["TERMINATION_GRACE"] = "1s" };

    // The e2e convention: a "fail*" release fails its first install with ImagePullBackOff pods; the store says so, and retry makes it READY.
    [Fact]
    public async Task Failed_install_explains_itself_and_retry_makes_it_ready()
    {
        await using var h = await Harness.StartAsync();

        var failed = await h.ProvisionAsync("failshop");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.StartsWith("Install failed: pod failshop-app-0: ImagePullBackOff", failed.Error); // the diagnosis leads
        Assert.Contains("Details: helm exited with code 1: Error: INSTALL FAILED", failed.Error);
        Assert.Equal(StoreOperation.Install, failed.FailedOperation);
        var diagnostics = (await h.AuditAsync("failshop")).First(a => a.Action == AuditActions.Diagnostics);
        Assert.Contains("waiting: ImagePullBackOff", diagnostics.Detail);
        Assert.Contains("event BackOff Pod/failshop-app-0", diagnostics.Detail);
        Assert.Contains(AuditActions.InstallFailed, await h.ActionsAsync("failshop"));

        var retried = await h.RetryAsync("failshop");

        Assert.Equal(StoreStatus.Ready, retried!.Status);
        Assert.Equal(StoreOperation.Retry, retried.Operation);
        Assert.Equal(2, retried.Revision);
        Assert.Null(retried.Error);
    }

    // When the pods and events cannot be read, the store still fails with helm's own reason; the diagnostics gap is said, not thrown.
    [Theory]
    [InlineData("fail", "could not read pods: kubectl exited with code 1")]
    [InlineData("garbage", "could not read pods: kubectl printed output that could not be read")]
    public async Task Diagnostics_failures_do_not_mask_the_install_failure(string getMode, string said)
    {
        await using var h = await Harness.StartAsync(f => f.Kubectl("FAKE_KUBECTL_GET_MODE", getMode));

        var failed = await h.ProvisionAsync("failshop");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.StartsWith("Install failed: helm exited with code 1: Error: INSTALL FAILED", failed.Error);
        Assert.Contains("Diagnosis: no diagnostics: " + said, failed.Error);
        Assert.Contains(AuditActions.Diagnostics, await h.ActionsAsync("failshop"));
    }

    // helm killed with exit 137 leaves the release pending-install: FAILED with the exit code; the retry recovers the release (uninstall, install) and is READY.
    [Fact]
    public async Task Exit_137_fails_and_retry_recovers_the_pending_release()
    {
        await using var h = await Harness.StartAsync();
        h.Fakes.SetBehaviour("acme", "once:upgrade:exit137");

        var failed = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("helm exited with code 137", failed.Error);
        using (var release = h.Fakes.Release("store-acme", "acme")!)
        {
            Assert.Equal("pending-install", release.RootElement.GetProperty("revisions")[0].GetProperty("status").GetString());
        }

        var retried = await h.RetryAsync("acme");

        Assert.Equal(StoreStatus.Ready, retried!.Status);
        Assert.Equal(1, retried.Revision);
        var recovered = (await h.AuditAsync("acme")).First(a => a.Action == AuditActions.ReleaseRecovered);
        Assert.Contains("pending-install", recovered.Detail);
        Assert.Contains("uninstalled", recovered.Detail);
        Assert.Contains(h.Fakes.Calls(), c => c.Argv[0] == "uninstall");
    }

    // An upgrade interrupted in pending-upgrade is recovered by rolling back to the last deployed revision before upgrading again.
    [Fact]
    public async Task Pending_upgrade_is_rolled_back_before_the_retried_upgrade()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        h.Fakes.SetBehaviour("acme", "once:upgrade:pending");

        var failed = await h.UpgradeAsync("acme", """{"replicaCount":2}""");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Equal(StoreOperation.Upgrade, failed.FailedOperation);

        var retried = await h.RetryAsync("acme");

        Assert.Equal(StoreStatus.Ready, retried!.Status);
        Assert.Equal(4, retried.Revision); // 1 install, 2 pending upgrade, 3 rollback to 1, 4 the retried upgrade
        Assert.Contains((await h.AuditAsync("acme")), a => a.Action == AuditActions.ReleaseRecovered && a.Detail!.Contains("rolled back to revision 1", StringComparison.Ordinal));
        using var overrides = JsonDocument.Parse(h.Fakes.ValuesOf("acme", 1)!); // the retry repeated the upgrade's overrides
        Assert.Equal(2, overrides.RootElement.GetProperty("replicaCount").GetInt32());
    }

    // A failed upgrade is rolled back by helm itself (--atomic): the store is FAILED with the reason, at the rolled-back revision, and the release is deployed.
    [Fact]
    public async Task Failed_upgrade_is_rolled_back_by_helm_and_says_so()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        h.Fakes.SetBehaviour("acme", "once:upgrade:fail-crashloop");

        var failed = await h.UpgradeAsync("acme", """{"version":"6.7"}""");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Equal(3, failed.Revision); // 1 install, 2 failed upgrade, 3 helm's rollback to 1
        Assert.Contains("rolled back to revision 1 (--atomic)", failed.Error);
        Assert.Contains("(CrashLoopBackOff)", failed.Error);
        Assert.Contains("no pod problem found (pods: 1 Running)", failed.Error); // after helm's rollback the old pods run again
        using var release = h.Fakes.Release("store-acme", "acme")!;
        Assert.Equal("deployed", release.RootElement.GetProperty("revisions")[2].GetProperty("status").GetString());
    }

    // A failed rollback is retried as a rollback (RetryOf), with the same target.
    [Fact]
    public async Task Failed_rollback_is_retried_as_a_rollback()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        await h.UpgradeAsync("acme");
        h.Fakes.SetBehaviour("acme", "once:rollback:fail");

        var failed = await h.RollbackAsync("acme", 1);

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Equal(StoreOperation.Rollback, failed.FailedOperation);
        Assert.StartsWith("Rollback failed: helm exited with code 1", failed.Error);

        var retried = await h.RetryAsync("acme");

        Assert.Equal(StoreStatus.Ready, retried!.Status);
        Assert.Equal(2, h.Fakes.Calls().Count(c => c.Argv.Take(3).SequenceEqual(["rollback", "acme", "1"])));
        Assert.Equal(AuditActions.RollbackSucceeded, (await h.AuditAsync("acme"))[0].Action);
    }

    // helm printing garbage is a FAILED store with a readable reason, not an exception or a stuck store; retry then works.
    [Fact]
    public async Task Garbage_output_fails_with_a_reason_and_retry_works()
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_MODE", "garbage"));

        var failed = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("helm printed output that could not be read", failed.Error);

        h.Fakes.Helm("FAKE_HELM_MODE", null);
        Assert.Equal(StoreStatus.Ready, (await h.RetryAsync("acme"))!.Status);
    }

    // An install whose helm deployed the release but printed something unreadable is not failed on that account: the
    // release is read back with `helm status`, and the store is READY at the revision helm reports there.
    [Fact]
    public async Task Unreadable_install_output_is_read_back_with_helm_status()
    {
        await using var h = await Harness.StartAsync();
        h.Fakes.SetBehaviour("acme", "upgrade:garbage");

        var store = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Ready, store!.Status);
        Assert.Equal(1, store.Revision);
        var helm = h.Fakes.Calls().Where(c => c.Tool == "helm" && c.Argv[0] is "upgrade" or "status").Select(c => c.Argv[0]).ToList();
        Assert.Equal(["status", "upgrade", "status"], helm);
    }

    // A helm or kubectl executable that does not exist fails the store with an install hint, instead of crashing the orchestration.
    [Theory]
    [InlineData("HELM_PATH", "helm")]
    [InlineData("KUBECTL_PATH", "kubectl")]
    public async Task Missing_executable_fails_with_an_install_hint(string setting, string tool)
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { [setting] = "/nonexistent/bin/" + tool });

        var failed = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains($"could not start {tool}", failed.Error);
        Assert.Contains(setting, failed.Error);
    }

    // A hanging helm is stopped at HELM_TIMEOUT + grace (SIGTERM; SIGKILL if ignored): FAILED "timed out after", no process left, retry works.
    [Theory]
    [InlineData("hang", true)]
    [InlineData("hang-hard", false)]
    public async Task Hanging_helm_is_stopped_and_the_store_fails_with_timed_out(string mode, bool exitsOnSigterm)
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_MODE", mode), ShortTimeouts);

        var failed = await h.ProvisionAsync("acme");

        // Failed by the step's deadline (HELM_TIMEOUT 2s + TERMINATION_GRACE 1s), not left waiting: the reason names it.
        // No wall-clock bound here: how long the steps around it take depends on the machine's load.
        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("timed out after 3s", failed.Error);
        var upgrade = Assert.Single(h.Fakes.Calls(), c => c.Argv[0] == "upgrade");
        Assert.Equal(exitsOnSigterm, upgrade.End is not null); // SIGTERM handled: helm recorded its own exit; SIGKILL: no end line
        Assert.False(IsAlive(upgrade.Pid), $"helm pid {upgrade.Pid} is still running");

        h.Fakes.Helm("FAKE_HELM_MODE", null);
        Assert.Equal(StoreStatus.Ready, (await h.RetryAsync("acme"))!.Status);
    }

    // The orchestrator's durable timer guards each step: past the deadline the store is FAILED "timed out after", and the late helm success cannot flip it.
    [Fact]
    public async Task Durable_deadline_fails_the_store_and_fences_the_late_step()
    {
        // The deadline leaves the namespace step (five fake CLI runs) time on a loaded machine; only the install outlasts it.
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_DELAY_SECONDS", "20"));
        var store = await h.CreateAsync("acme");

        var failed = await h.RunAsync(store, deadline: TimeSpan.FromSeconds(10));

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.StartsWith("Install timed out after 10s", failed.Error);
        Assert.Contains(AuditActions.OperationTimedOut, await h.ActionsAsync("acme"));

        await WaitUntilAsync(() => h.Fakes.Calls().Any(c => c.Argv[0] == "upgrade" && c.End is not null), TimeSpan.FromSeconds(45));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the late activity reads helm status and tries to record
        var after = await h.Repository.GetAsync("acme");
        Assert.Equal(StoreStatus.Failed, after!.Status);
        Assert.DoesNotContain(AuditActions.InstallSucceeded, await h.ActionsAsync("acme"));
    }

    // An activity that throws something unexpected still leaves the store FAILED with the reason, never PROVISIONING.
    [Fact]
    public async Task Unexpected_activity_exception_is_recorded_as_failed()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<HelmCli, ExplodingHelm>());

        var failed = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("step InstallRelease stopped unexpectedly", failed.Error);
        Assert.Contains("chart cache corrupted", failed.Error);
        Assert.Contains(AuditActions.InstallFailed, await h.ActionsAsync("acme"));
    }

    // A kubectl that cannot reach the cluster fails the namespace step with the reason and never runs helm install.
    [Fact]
    public async Task Unreachable_cluster_fails_at_the_namespace_step()
    {
        await using var h = await Harness.StartAsync(f => f.Kubectl("FAKE_KUBECTL_NO_CLUSTER", "1"));

        var failed = await h.ProvisionAsync("acme");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("could not create namespace store-acme", failed.Error);
        Assert.Contains("refused", failed.Error);
        Assert.DoesNotContain(h.Fakes.Calls(), c => c.Argv[0] == "upgrade");
        Assert.Contains(AuditActions.NamespaceFailed, await h.ActionsAsync("acme"));
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "condition not met in time");
            await Task.Delay(100);
        }
    }

    /// <summary>A helm whose install throws something no activity expects.</summary>
    private sealed class ExplodingHelm(CliRunner runner, StoreProvisioningOptions options) : HelmCli(runner, options)
    {
        public override Task<HelmReleaseStatus?> UpgradeInstallAsync(
            string release, string chartPath, string ns, IReadOnlyList<string> valuesFiles, bool rollbackOnFailure,
            IReadOnlyCollection<string> secrets, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("chart cache corrupted");
    }
}
