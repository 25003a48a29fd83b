namespace StoreProvisioning.Cluster;

/// <summary>Builds kubectl argument lists. Pure, so every flag is unit-tested.</summary>
public static class KubectlArguments
{
    /// <summary>
    /// `kubectl apply -f -`: the manifest (the platform chart's render) comes on stdin, so applying it again over a
    /// namespace that exists is not an error but a repair.
    /// </summary>
    public static IReadOnlyList<string> ApplyFromStdin() => ["apply", "--filename", "-", "--output", "name"];

    public static IReadOnlyList<string> DeleteNamespace(string ns, TimeSpan timeout) =>
        ["delete", "namespace", ns, "--ignore-not-found", "--wait=true", $"--timeout={Configuration.StoreProvisioningOptions.HelmDuration(timeout)}"];

    /// <summary>
    /// The kinds of object the platform chart (helm/store-namespace) renders; keep in step with its templates. A kind
    /// missing here would make every store look drifted (its isolation re-applied each pass), never hide drift.
    /// </summary>
    public const string PlatformKinds = "namespaces,resourcequotas,limitranges,networkpolicies";

    /// <summary>
    /// Every namespace and platform object the control plane manages, in all namespaces, as one List: the reconciler's
    /// one kubectl call per pass.
    /// </summary>
    public static IReadOnlyList<string> ListPlatformObjects() =>
        ["get", PlatformKinds, "--all-namespaces", "--selector", NamespaceOwnership.ManagedByLabel + "=" + NamespaceOwnership.ManagedBy, "--output", "json"];

    public static IReadOnlyList<string> GetNamespace(string ns) => ["get", "namespace", ns, "--ignore-not-found", "--output", "json"];

    /// <summary>The API server's endpoints, whose addresses store namespaces may never reach.</summary>
    public static IReadOnlyList<string> GetApiServerEndpoints() => ["get", "endpoints", "kubernetes", "--namespace", "default", "--output", "json"];

    public static IReadOnlyList<string> GetPods(string ns) => ["get", "pods", "--namespace", ns, "--output", "json"];

    public static IReadOnlyList<string> GetEvents(string ns) => ["get", "events", "--namespace", ns, "--output", "json"];

    /// <summary>Every namespaced resource still left in a namespace (what keeps it Terminating).</summary>
    public static IReadOnlyList<string> GetAll(string ns) => ["get", "all", "--namespace", ns, "--output", "name"];

    public static IReadOnlyList<string> ServerVersion(TimeSpan timeout) =>
        ["version", "--output", "json", $"--request-timeout={Configuration.StoreProvisioningOptions.HelmDuration(timeout)}"];
}
