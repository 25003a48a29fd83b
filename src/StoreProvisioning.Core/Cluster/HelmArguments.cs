namespace StoreProvisioning.Cluster;

/// <summary>
/// Builds helm argument lists, one method per helm action. Pure, so every flag is unit-tested.
/// Helm 3 and helm 4 differ: helm 4 renamed --atomic to --rollback-on-failure.
/// </summary>
public static class HelmArguments
{
    /// <summary>The release label (and label selector) that marks what the control plane manages.</summary>
    public const string ManagedSelector = NamespaceOwnership.ManagedByLabel + "=" + NamespaceOwnership.ManagedBy;

    /// <summary>
    /// Install or upgrade in one step: `helm upgrade --install` with values files (never --set: secrets stay out of argv),
    /// printing the release it wrote as JSON (the shape of `helm status -o json`), so no second call reads it back.
    /// </summary>
    public static IReadOnlyList<string> UpgradeInstall(
        int helmMajor, string release, string chartPath, string ns, TimeSpan timeout, IReadOnlyList<string> valuesFiles, bool rollbackOnFailure)
    {
        var args = new List<string>
        {
            "upgrade", "--install", release, chartPath, "--namespace", ns, "--wait", "--timeout", Duration(timeout), "--labels", ManagedSelector, "--output", "json",
        };
        if (rollbackOnFailure)
        {
            args.Add(helmMajor >= 4 ? "--rollback-on-failure" : "--atomic");
        }

        foreach (var file in valuesFiles)
        {
            args.Add("--values");
            args.Add(file);
        }

        return args;
    }

    /// <summary>
    /// `helm template`: renders a chart offline with the given values files (same files as the install), for the
    /// render guard and for the platform chart that the control plane applies itself.
    /// </summary>
    public static IReadOnlyList<string> Template(string release, string chartPath, string ns, IReadOnlyList<string> valuesFiles)
    {
        var args = new List<string> { "template", release, chartPath, "--namespace", ns };
        foreach (var file in valuesFiles)
        {
            args.Add("--values");
            args.Add(file);
        }

        return args;
    }

    public static IReadOnlyList<string> Rollback(string release, int revision, string ns, TimeSpan timeout) =>
        ["rollback", release, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--namespace", ns, "--wait", "--timeout", Duration(timeout)];

    public static IReadOnlyList<string> Uninstall(string release, string ns, TimeSpan timeout) =>
        ["uninstall", release, "--namespace", ns, "--ignore-not-found", "--wait", "--timeout", Duration(timeout)];

    /// <summary>
    /// `helm list`: the latest revision of every release the control plane installed (labelled <see cref="ManagedSelector"/>
    /// by <see cref="UpgradeInstall"/>), in every namespace, whatever its status, without helm's 256-row default limit.
    /// The reconciler's one helm call per pass. `--selector` is the same flag in helm 3 and 4.
    /// </summary>
    public static IReadOnlyList<string> ListManaged() =>
        ["list", "--all", "--all-namespaces", "--max", "0", "--selector", ManagedSelector, "--output", "json"];

    public static IReadOnlyList<string> Status(string release, string ns) =>
        ["status", release, "--namespace", ns, "--output", "json"];

    public static IReadOnlyList<string> History(string release, string ns) =>
        ["history", release, "--namespace", ns, "--max", "256", "--output", "json"];

    /// <summary>
    /// `helm get values` of one revision as JSON: the user-supplied values helm stored with it (secrets included, so the
    /// caller filters them before they go anywhere: <see cref="Catalog.UpgradeValuesPolicy.TenantVisible"/>).
    /// </summary>
    public static IReadOnlyList<string> GetValues(string release, string ns, int revision) =>
        ["get", "values", release, "--revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--namespace", ns, "--output", "json"];

    public static IReadOnlyList<string> Version() => ["version", "--template", "{{.Version}}"];

    /// <summary>Version and build commit, one space apart (the commit tells a simulated helm from a real one).</summary>
    public static IReadOnlyList<string> VersionAndCommit() => ["version", "--template", "{{.Version}} {{.GitCommit}}"];

    private static string Duration(TimeSpan timeout) => Configuration.StoreProvisioningOptions.HelmDuration(timeout);
}
