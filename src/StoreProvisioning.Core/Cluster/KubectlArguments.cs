namespace StoreProvisioning.Cluster;

/// <summary>Builds kubectl argument lists. Pure, so every flag is unit-tested.</summary>
public static class KubectlArguments
{
    /// <summary>`kubectl apply -f -`: the manifest comes on stdin, so creating a namespace that exists is not an error.</summary>
    public static IReadOnlyList<string> ApplyFromStdin() => ["apply", "--filename", "-", "--output", "name"];

    public static IReadOnlyList<string> DeleteNamespace(string ns, TimeSpan timeout) =>
        ["delete", "namespace", ns, "--ignore-not-found", "--wait=true", $"--timeout={Configuration.StoreProvisioningOptions.HelmDuration(timeout)}"];

    public static IReadOnlyList<string> GetNamespace(string ns) => ["get", "namespace", ns, "--ignore-not-found", "--output", "json"];

    public static IReadOnlyList<string> GetPods(string ns) => ["get", "pods", "--namespace", ns, "--output", "json"];

    public static IReadOnlyList<string> GetEvents(string ns) => ["get", "events", "--namespace", ns, "--output", "json"];

    /// <summary>Every namespaced resource still left in a namespace (what keeps it Terminating).</summary>
    public static IReadOnlyList<string> GetAll(string ns) => ["get", "all", "--namespace", ns, "--output", "name"];

    public static IReadOnlyList<string> ServerVersion(TimeSpan timeout) =>
        ["version", "--output", "json", $"--request-timeout={Configuration.StoreProvisioningOptions.HelmDuration(timeout)}"];

    /// <summary>The namespace a store lives in, labelled so operators (and NetworkPolicies) can select store namespaces.</summary>
    public static string NamespaceManifest(string ns, string storeName) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {{ns}}
          labels:
            app.kubernetes.io/managed-by: store-provisioning
            store-provisioning.io/store: {{storeName}}
            pod-security.kubernetes.io/enforce: baseline
        """;
}
