using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class KubectlArgumentsTests
{
    // Exact argv of every kubectl call the control plane makes.
    [Fact]
    public void Argument_lists()
    {
        Assert.Equal(["apply", "--filename", "-", "--output", "name"], KubectlArguments.ApplyFromStdin());
        Assert.Equal(["delete", "namespace", "store-acme", "--ignore-not-found", "--wait=true", "--timeout=600s"], KubectlArguments.DeleteNamespace("store-acme", TimeSpan.FromMinutes(10)));
        Assert.Equal(["get", "namespace", "store-acme", "--ignore-not-found", "--output", "json"], KubectlArguments.GetNamespace("store-acme"));
        Assert.Equal(["get", "pods", "--namespace", "store-acme", "--output", "json"], KubectlArguments.GetPods("store-acme"));
        Assert.Equal(["get", "events", "--namespace", "store-acme", "--output", "json"], KubectlArguments.GetEvents("store-acme"));
        Assert.Equal(["get", "all", "--namespace", "store-acme", "--output", "name"], KubectlArguments.GetAll("store-acme"));
        Assert.Equal(["version", "--output", "json", "--request-timeout=5s"], KubectlArguments.ServerVersion(TimeSpan.FromSeconds(5)));
    }

    // The namespace manifest names the namespace and carries the managed-by, store and pod-security labels.
    [Fact]
    public void Namespace_manifest()
    {
        var manifest = KubectlArguments.NamespaceManifest("store-acme", "acme");
        var lines = manifest.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal("apiVersion: v1", lines[0]);
        Assert.Contains("kind: Namespace", lines);
        Assert.Contains("  name: store-acme", lines);
        Assert.Contains("    app.kubernetes.io/managed-by: store-provisioning", lines);
        Assert.Contains("    store-provisioning.io/store: acme", lines);
        Assert.Contains("    pod-security.kubernetes.io/enforce: baseline", lines);
    }
}
