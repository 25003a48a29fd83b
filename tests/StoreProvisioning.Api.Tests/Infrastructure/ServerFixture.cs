using Xunit;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>One test server per test class (xunit class fixture); tests in a class use distinct store names and users.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private TestServerProcess? server;

    public TestServerProcess Server => server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Client => Server.Client;

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync() => server = await TestServerProcess.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>Defaults: fast fake helm, MAX_STORES_PER_USER=3, PROVISION_CONCURRENCY=2.</summary>
public sealed class DefaultServer : ServerFixture;

/// <summary>Another default server, so the lifecycle tests do not share a database with the contract tests.</summary>
public sealed class LifecycleServer : ServerFixture;

/// <summary>For the guardrail races: MAX_STORES_PER_USER=3, helm slowed a little so stores stay in flight.</summary>
public sealed class GuardrailServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["MAX_STORES_PER_USER"] = "3",
        ["FAKE_HELM_DELAY_SECONDS"] = "1",
    };
}

/// <summary>Slow helm (2 s per install) at PROVISION_CONCURRENCY=2, for the concurrency bound.</summary>
public sealed class SlowHelmServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["PROVISION_CONCURRENCY"] = "2",
        ["MAX_STORES_PER_USER"] = "10",
        ["FAKE_HELM_DELAY_SECONDS"] = "2",
    };
}

/// <summary>
/// A server used only for hostile input, so nothing else touches its CLIs or database; the reconciler is kept
/// quiet (1 h) so any helm/kubectl call during the test can only come from a request.
/// </summary>
public sealed class HostileInputServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RECONCILE_INTERVAL"] = "1h",
    };
}

/// <summary>For stores held in PROVISIONING / DELETING by hanging fake CLIs; nothing else runs on it.</summary>
public sealed class BusyServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["HELM_TIMEOUT"] = "300s",
    };
}

/// <summary>
/// For the tenant boundary: the reconciler kept quiet (1 h), so every helm/kubectl call during a test comes from a
/// request, and "no CLI call" can be asserted.
/// </summary>
public sealed class TenantBoundaryServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RECONCILE_INTERVAL"] = "1h",
    };
}
