using Microsoft.Extensions.Logging.Abstractions;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;

namespace StoreProvisioning.Core.Tests.Cluster;

public sealed class HelmCliTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private (HelmCli Helm, ScriptedCli Fake) Helm(string version, params (string Prefix, int Exit, string Stdout, string Stderr)[] answers)
    {
        var table = answers.ToDictionary(a => a.Prefix, a => (a.Exit, a.Stdout, a.Stderr));
        table["version"] = (0, version, string.Empty);
        var fake = ScriptedCli.Create(dir, "helm", table);
        var options = new StoreProvisioningOptions { SqlitePath = dir.File("s.db"), ChartsRoot = "/charts", HelmPath = fake.Path, HelmTimeout = TimeSpan.FromSeconds(90) };
        return (new HelmCli(new CliRunner(TimeSpan.FromSeconds(1), NullLogger<CliRunner>.Instance), options), fake);
    }

    // helm version text → major: v-prefix, build metadata, whitespace; unknown text counts as helm 3.
    [Theory]
    [InlineData("v3.17.3+ge4da497", 3)]
    [InlineData("v4.0.1", 4)]
    [InlineData("v4.1.0-rc.1+g1234", 4)]
    [InlineData(" v3.19.0\n", 3)]
    [InlineData("4", 4)]
    [InlineData("v10.2.0", 10)]
    [InlineData("", 3)]
    [InlineData("garbage", 3)]
    [InlineData("v.1", 3)]
    [InlineData("v-4.0", 3)]
    public void ParseMajor(string version, int major) => Assert.Equal(major, HelmCli.ParseMajor(version));

    // Against a helm 4 binary, install/upgrade passes --rollback-on-failure; the version is asked once and remembered.
    [Fact]
    public async Task UpgradeInstall_on_helm4_uses_rollback_on_failure_and_asks_version_once()
    {
        var (helm, fake) = Helm("v4.0.1+gabc");
        await helm.UpgradeInstallAsync("acme", "/charts/woocommerce", "store-acme", ["/tmp/v.json"], rollbackOnFailure: true, [], CancellationToken.None);
        await helm.UpgradeInstallAsync("acme", "/charts/woocommerce", "store-acme", ["/tmp/v.json"], rollbackOnFailure: true, [], CancellationToken.None);

        var calls = fake.Calls();
        Assert.Single(calls, c => c.Argv[0] == "version");
        Assert.Equal(
            ["upgrade", "--install", "acme", "/charts/woocommerce", "--namespace", "store-acme", "--wait", "--timeout", "90s", "--labels", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json", "--rollback-on-failure", "--values", "/tmp/v.json"],
            calls.Last().Argv);
    }

    // Against a helm 3 binary, install/upgrade passes --atomic.
    [Fact]
    public async Task UpgradeInstall_on_helm3_uses_atomic()
    {
        var (helm, fake) = Helm("v3.17.3");
        await helm.UpgradeInstallAsync("acme", "/charts/medusa", "store-acme", ["/tmp/v.json"], rollbackOnFailure: true, [], CancellationToken.None);
        Assert.Contains("--atomic", fake.Calls().Last().Argv);
        Assert.DoesNotContain("--rollback-on-failure", fake.Calls().Last().Argv);
    }

    // A successful install returns the release helm printed (status, revision, description); output that is not that
    // JSON is no release (null), so the caller asks `helm status` instead of failing a deployed store.
    [Theory]
    [InlineData("""{"name":"acme","info":{"status":"deployed","description":"Install complete"},"version":1}""", "deployed", 1)]
    [InlineData("""{"name":"acme","info":{"status":"failed","description":"Upgrade failed"},"version":7}""", "failed", 7)]
    [InlineData("Release \"acme\" has been upgraded. Happy Helming!", null, 0)]
    [InlineData("", null, 0)]
    public async Task UpgradeInstall_returns_the_release_helm_printed(string stdout, string? status, int revision)
    {
        var (helm, _) = Helm("v3.17.3", ("upgrade", 0, stdout, string.Empty));
        var written = await helm.UpgradeInstallAsync("acme", "/charts/medusa", "store-acme", [], false, [], CancellationToken.None);
        Assert.Equal(status, written?.Status);
        Assert.Equal(revision, written?.Revision ?? 0);
    }

    // A failing install throws an ExitCode failure whose message holds helm's stderr with secrets redacted.
    [Fact]
    public async Task UpgradeInstall_failure_is_redacted()
    {
        var (helm, _) = Helm("v3.17.3", ("upgrade", 1, string.Empty, "Error: secret hunter2-long-password rejected"));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() =>
            helm.UpgradeInstallAsync("acme", "/charts/medusa", "store-acme", [], false, ["hunter2-long-password"], CancellationToken.None));
        Assert.Equal(CliFailure.ExitCode, ex.Failure);
        Assert.Contains("Error: secret [REDACTED] rejected", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    // helm status JSON is read into status, revision and description.
    [Fact]
    public async Task Status_reads_json()
    {
        var (helm, fake) = Helm("v3.17.3", ("status", 0, """{"name":"acme","info":{"status":"pending-upgrade","description":"Upgrade in progress"},"version":4}""", string.Empty));
        var status = await helm.StatusAsync("acme", "store-acme", CancellationToken.None);
        Assert.Equal(new HelmReleaseStatus("pending-upgrade", 4, "Upgrade in progress"), status);
        Assert.Equal(["status", "acme", "--namespace", "store-acme", "--output", "json"], fake.Calls().Single().Argv);
    }

    // "release: not found" means no release: status is null and history is empty.
    [Fact]
    public async Task Not_found_means_no_release()
    {
        var (helm, _) = Helm("v3.17.3", ("status", 1, string.Empty, "Error: release: not found"), ("history", 1, string.Empty, "Error: release: not found"));
        Assert.Null(await helm.StatusAsync("acme", "store-acme", CancellationToken.None));
        Assert.Empty(await helm.HistoryAsync("acme", "store-acme", CancellationToken.None));
    }

    // Any other status failure is an ExitCode failure naming the command and stderr.
    [Fact]
    public async Task Status_other_failure_throws()
    {
        var (helm, _) = Helm("v3.17.3", ("status", 1, string.Empty, "Error: Kubernetes cluster unreachable"));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => helm.StatusAsync("acme", "store-acme", CancellationToken.None));
        Assert.Equal(CliFailure.ExitCode, ex.Failure);
        Assert.Contains("helm status acme", ex.Message);
        Assert.Contains("cluster unreachable", ex.Message);
    }

    // Output that is not the JSON helm should print is an UnreadableOutput failure quoting it.
    [Theory]
    [InlineData("status", "this is not json")]
    [InlineData("status", """{"info":{}}""")]
    [InlineData("history", """{"not":"an array"}""")]
    [InlineData("history", """[{"status":"deployed"}]""")]
    public async Task Garbage_output_is_unreadable(string command, string stdout)
    {
        var (helm, _) = Helm("v3.17.3", (command, 0, stdout, string.Empty));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => command == "status"
            ? helm.StatusAsync("acme", "store-acme", CancellationToken.None)
            : helm.HistoryAsync("acme", "store-acme", CancellationToken.None));
        Assert.Equal(CliFailure.UnreadableOutput, ex.Failure);
    }

    // History rows are read and returned oldest first even when helm lists them out of order.
    [Fact]
    public async Task History_is_sorted_oldest_first()
    {
        var (helm, _) = Helm("v3.17.3", ("history", 0, """
            [{"revision":2,"status":"deployed","chart":"woocommerce-0.2.0","description":"Upgrade complete"},
             {"revision":1,"status":"superseded","chart":"woocommerce-0.1.0","description":"Install complete"}]
            """, string.Empty));
        var history = await helm.HistoryAsync("acme", "store-acme", CancellationToken.None);
        Assert.Equal(
            [new HelmRevision(1, "superseded", "woocommerce-0.1.0", "Install complete"), new HelmRevision(2, "deployed", "woocommerce-0.2.0", "Upgrade complete")],
            history);
    }

    // History rows carry the app version and the time, whose nanoseconds (helm's RFC 3339) are cut to what .NET reads.
    [Fact]
    public async Task History_reads_app_version_and_time()
    {
        var (helm, _) = Helm("v3.17.3", ("history", 0, """
            [{"revision":1,"updated":"2026-12-02T01:02:03.123456789+01:00","status":"deployed","chart":"woocommerce-0.2.0","app_version":"6.8.3","description":"Install complete"}]
            """, string.Empty));
        var revision = Assert.Single(await helm.HistoryAsync("acme", "store-acme", CancellationToken.None));
        Assert.Equal("6.8.3", revision.AppVersion);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 2, 3, TimeSpan.Zero).AddTicks(1234567), revision.Updated);
        Assert.Null(HelmCli.ParseTime("yesterday"));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), HelmCli.ParseTime("2026-12-02T00:00:00Z"));
    }

    // get values: an object as it is, helm's `null` as no values, a missing release or revision as null, garbage as unreadable.
    [Fact]
    public async Task GetValues_reads_objects_null_missing_and_garbage()
    {
        var (helm, fake) = Helm("v3.17.3",
            ("get values acme --revision 1", 0, """{"credentials":{"adminPassword":"x"},"image":{"tag":"1"}}""", string.Empty),
            ("get values acme --revision 2", 0, "null\n", string.Empty),
            ("get values acme --revision 3", 1, string.Empty, "Error: release: not found"),
            ("get values acme --revision 4", 0, "<<<garbage", string.Empty),
            ("get values acme --revision 5", 1, string.Empty, "Error: Kubernetes cluster unreachable"));

        Assert.Equal("""{"credentials":{"adminPassword":"x"},"image":{"tag":"1"}}""", (await helm.GetValuesAsync("acme", "store-acme", 1, CancellationToken.None))!.ToJsonString());
        Assert.Empty((await helm.GetValuesAsync("acme", "store-acme", 2, CancellationToken.None))!);
        Assert.Null(await helm.GetValuesAsync("acme", "store-acme", 3, CancellationToken.None));
        Assert.Equal(CliFailure.UnreadableOutput, (await Assert.ThrowsAsync<CliCommandException>(() => helm.GetValuesAsync("acme", "store-acme", 4, CancellationToken.None))).Failure);
        Assert.Equal(CliFailure.ExitCode, (await Assert.ThrowsAsync<CliCommandException>(() => helm.GetValuesAsync("acme", "store-acme", 5, CancellationToken.None))).Failure);
        Assert.Equal(HelmArguments.GetValues("acme", "store-acme", 1), fake.Calls()[0].Argv);
    }

    // Rollback and uninstall run the exact argv with helm's timeout.
    [Fact]
    public async Task Rollback_and_uninstall_argv()
    {
        var (helm, fake) = Helm("v3.17.3");
        await helm.RollbackAsync("acme", 3, "store-acme", CancellationToken.None);
        await helm.UninstallAsync("acme", "store-acme", CancellationToken.None);
        var calls = fake.Calls();
        Assert.Equal(["rollback", "acme", "3", "--namespace", "store-acme", "--wait", "--timeout", "90s"], calls[0].Argv);
        Assert.Equal(["uninstall", "acme", "--namespace", "store-acme", "--ignore-not-found", "--wait", "--timeout", "90s"], calls[1].Argv);
    }
}
