using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class HelmArgumentsTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    // helm 3 install/upgrade with rollback-on-failure: exact argv (the written release printed as JSON), --atomic, one --values per file, in order.
    [Fact]
    public void UpgradeInstall_helm3_uses_atomic()
    {
        var args = HelmArguments.UpgradeInstall(3, "acme", "/charts/woocommerce", "store-acme", TenMinutes, ["/tmp/a/values.json", "/tmp/b/overrides.json"], rollbackOnFailure: true);
        Assert.Equal(
            ["upgrade", "--install", "acme", "/charts/woocommerce", "--namespace", "store-acme", "--wait", "--timeout", "600s", "--labels", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json", "--atomic",
             "--values", "/tmp/a/values.json", "--values", "/tmp/b/overrides.json"],
            args);
    }

    // helm template renders with the same values files as the install, in order, into the store's namespace; no cluster flags.
    [Fact]
    public void Template_uses_the_same_values_files()
    {
        Assert.Equal(
            ["template", "acme", "/charts/store-namespace", "--namespace", "store-acme", "--values", "/charts/store-namespace/plans/small.yaml", "--values", "/tmp/p.json"],
            HelmArguments.Template("acme", "/charts/store-namespace", "store-acme", ["/charts/store-namespace/plans/small.yaml", "/tmp/p.json"]));
    }

    // helm 4 (and later) install/upgrade uses --rollback-on-failure instead of --atomic.
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void UpgradeInstall_helm4_uses_rollback_on_failure(int major)
    {
        var args = HelmArguments.UpgradeInstall(major, "acme", "/charts/medusa", "store-acme", TimeSpan.FromSeconds(90), ["/tmp/v.json"], rollbackOnFailure: true);
        Assert.Equal(
            ["upgrade", "--install", "acme", "/charts/medusa", "--namespace", "store-acme", "--wait", "--timeout", "90s", "--labels", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json", "--rollback-on-failure",
             "--values", "/tmp/v.json"],
            args);
        Assert.DoesNotContain("--atomic", args);
    }

    // Without rollback-on-failure neither flag is present, for either helm major.
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void UpgradeInstall_without_rollback_flag(int major)
    {
        var args = HelmArguments.UpgradeInstall(major, "acme", "/c", "store-acme", TenMinutes, [], rollbackOnFailure: false);
        Assert.Equal(["upgrade", "--install", "acme", "/c", "--namespace", "store-acme", "--wait", "--timeout", "600s", "--labels", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json"], args);
    }

    // The reconciler's one helm call: every managed release (the label every install and upgrade sets), all
    // namespaces, every status, no 256-row cap; the same flags in helm 3 and 4.
    [Fact]
    public void ListManaged_selects_the_managed_label_everywhere()
    {
        Assert.Equal(
            ["list", "--all", "--all-namespaces", "--max", "0", "--selector", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json"],
            HelmArguments.ListManaged());
    }

    // Values only ever travel in files: no --set, --set-string or --set-file in any argument list.
    [Theory]
    [InlineData(3, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(4, false)]
    public void UpgradeInstall_never_uses_set(int major, bool rollback)
    {
        var args = HelmArguments.UpgradeInstall(major, "acme", "/c", "store-acme", TenMinutes, ["/tmp/1", "/tmp/2", "/tmp/3"], rollback);
        Assert.DoesNotContain(args, a => a.StartsWith("--set", StringComparison.Ordinal));
        Assert.Equal(3, args.Count(a => a == "--values"));
    }

    // Rollback: exact argv with the revision as invariant digits and --wait.
    [Fact]
    public void Rollback_argv() =>
        Assert.Equal(["rollback", "acme", "2", "--namespace", "store-acme", "--wait", "--timeout", "600s"], HelmArguments.Rollback("acme", 2, "store-acme", TenMinutes));

    // Uninstall: exact argv, idempotent (--ignore-not-found) and waiting.
    [Fact]
    public void Uninstall_argv() =>
        Assert.Equal(["uninstall", "acme", "--namespace", "store-acme", "--ignore-not-found", "--wait", "--timeout", "600s"], HelmArguments.Uninstall("acme", "store-acme", TenMinutes));

    // Status and history ask for JSON; history is bounded.
    [Fact]
    public void Status_history_version_argv()
    {
        Assert.Equal(["status", "acme", "--namespace", "store-acme", "--output", "json"], HelmArguments.Status("acme", "store-acme"));
        Assert.Equal(["history", "acme", "--namespace", "store-acme", "--max", "256", "--output", "json"], HelmArguments.History("acme", "store-acme"));
        Assert.Equal(["version", "--template", "{{.Version}}"], HelmArguments.Version());
    }

    // `helm get values` of one revision, as JSON: the release, the revision as a number, the namespace.
    [Fact]
    public void GetValues_names_the_revision_and_asks_for_json() =>
        Assert.Equal(["get", "values", "acme", "--revision", "3", "--namespace", "store-acme", "--output", "json"], HelmArguments.GetValues("acme", "store-acme", 3));

    // The revision is written with invariant digits even under a culture with its own digits.
    [Fact]
    public void Rollback_revision_is_culture_invariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("12", HelmArguments.Rollback("acme", 12, "store-acme", TenMinutes)[2]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
