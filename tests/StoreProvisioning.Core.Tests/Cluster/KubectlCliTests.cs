using Microsoft.Extensions.Logging.Abstractions;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;

namespace StoreProvisioning.Core.Tests.Cluster;

public sealed class KubectlCliTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private (KubectlCli Kubectl, ScriptedCli Fake) Kubectl(params (string Prefix, int Exit, string Stdout, string Stderr)[] answers)
    {
        var fake = ScriptedCli.Create(dir, "kubectl", answers.ToDictionary(a => a.Prefix, a => (a.Exit, a.Stdout, a.Stderr)));
        var options = new StoreProvisioningOptions { SqlitePath = dir.File("s.db"), ChartsRoot = "/charts", KubectlPath = fake.Path, HelmTimeout = TimeSpan.FromMinutes(10) };
        return (new KubectlCli(new CliRunner(TimeSpan.FromSeconds(1), NullLogger<CliRunner>.Instance), options), fake);
    }

    // Manifests (the platform chart's render) go to `kubectl apply -f -` on stdin, never in the argument list.
    [Fact]
    public async Task Apply_pipes_manifests_on_stdin()
    {
        var (kubectl, fake) = Kubectl();
        const string manifests = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: store-acme\n";
        await kubectl.ApplyAsync(manifests, CancellationToken.None);
        var call = fake.Calls().Single();
        Assert.Equal(["apply", "--filename", "-", "--output", "name"], call.Argv);
        Assert.Equal(manifests, call.Stdin);
    }

    // The API server's addresses become /32 CIDRs; Endpoints without an address are an error naming the setting.
    [Fact]
    public async Task Api_server_cidrs_from_endpoints()
    {
        var (kubectl, _) = Kubectl(("get endpoints", 0, """{"subsets":[{"addresses":[{"ip":"203.0.113.10"},{"ip":"203.0.113.11"}]}]}""", ""));
        Assert.Equal(["203.0.113.10/32", "203.0.113.11/32"], await kubectl.GetApiServerCidrsAsync(CancellationToken.None));

        var (empty, _) = Kubectl(("get endpoints", 0, """{"subsets":[]}""", ""));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => empty.GetApiServerCidrsAsync(CancellationToken.None));
        Assert.Contains("API_SERVER_CIDRS", ex.Message);
    }

    // Deleting a namespace runs the exact argv with helm's timeout.
    [Fact]
    public async Task DeleteNamespace_argv()
    {
        var (kubectl, fake) = Kubectl();
        await kubectl.DeleteNamespaceAsync("store-acme", CancellationToken.None);
        Assert.Equal(["delete", "namespace", "store-acme", "--ignore-not-found", "--wait=true", "--timeout=600s"], fake.Calls().Single().Argv);
    }

    // An absent namespace (empty output with --ignore-not-found) is null; a present one is its JSON.
    [Fact]
    public async Task GetNamespace_null_when_absent()
    {
        var (absent, _) = Kubectl(("get namespace", 0, "\n", string.Empty));
        Assert.Null(await absent.GetNamespaceAsync("store-acme", CancellationToken.None));

        var (present, _) = Kubectl(("get namespace", 0, """{"status":{"phase":"Terminating"}}""", string.Empty));
        using var doc = await present.GetNamespaceAsync("store-acme", CancellationToken.None);
        Assert.Equal("Terminating", doc!.RootElement.GetProperty("status").GetProperty("phase").GetString());
    }

    // Remaining resources are the non-empty output lines (kind/name).
    [Fact]
    public async Task Remaining_resources_are_lines()
    {
        var (kubectl, _) = Kubectl(("get all", 0, "pod/web-0\n\n  service/web  \n", string.Empty));
        Assert.Equal(["pod/web-0", "service/web"], await kubectl.GetRemainingResourcesAsync("store-acme", CancellationToken.None));
    }

    // The server version is read from serverVersion.gitVersion; an answer without it means no API server.
    [Fact]
    public async Task ServerVersion_requires_a_server()
    {
        var (ok, _) = Kubectl(("version", 0, """{"clientVersion":{"gitVersion":"v1.31.0"},"serverVersion":{"gitVersion":"v1.30.2+k3s1"}}""", string.Empty));
        Assert.Equal("v1.30.2+k3s1", await ok.ServerVersionAsync(CancellationToken.None));

        var (none, _) = Kubectl(("version", 0, """{"clientVersion":{"gitVersion":"v1.31.0"}}""", string.Empty));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => none.ServerVersionAsync(CancellationToken.None));
        Assert.Equal(CliFailure.UnreadableOutput, ex.Failure);
    }

    // Output that is not JSON is an UnreadableOutput failure naming the kubectl command.
    [Fact]
    public async Task Non_json_is_unreadable()
    {
        var (kubectl, _) = Kubectl(("get pods", 0, "No resources found", string.Empty));
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => kubectl.GetPodsAsync("store-acme", CancellationToken.None));
        Assert.Equal(CliFailure.UnreadableOutput, ex.Failure);
        Assert.Contains("kubectl get pods", ex.Message);
    }
}
