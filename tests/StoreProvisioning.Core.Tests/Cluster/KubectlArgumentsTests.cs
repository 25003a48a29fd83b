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
        Assert.Equal(
            ["get", "namespaces,resourcequotas,limitranges,networkpolicies", "--all-namespaces", "--selector", "app.kubernetes.io/managed-by=store-provisioning", "--output", "json"],
            KubectlArguments.ListPlatformObjects());
        Assert.Equal(["get", "pods", "--namespace", "store-acme", "--output", "json"], KubectlArguments.GetPods("store-acme"));
        Assert.Equal(["get", "events", "--namespace", "store-acme", "--output", "json"], KubectlArguments.GetEvents("store-acme"));
        Assert.Equal(["get", "all", "--namespace", "store-acme", "--output", "name"], KubectlArguments.GetAll("store-acme"));
        Assert.Equal(["version", "--output", "json", "--request-timeout=5s"], KubectlArguments.ServerVersion(TimeSpan.FromSeconds(5)));
    }

    // The API server's endpoints are read from the default namespace's `kubernetes` Endpoints, as JSON.
    [Fact]
    public void Api_server_endpoints() =>
        Assert.Equal(["get", "endpoints", "kubernetes", "--namespace", "default", "--output", "json"], KubectlArguments.GetApiServerEndpoints());
}
