using Microsoft.Extensions.Logging.Abstractions;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;

namespace StoreProvisioning.Core.Tests.Cluster;

public sealed class ApiServerAddressesTests
{
    private sealed class CountingKubectl(StoreProvisioningOptions options) : KubectlCli(new CliRunner(TimeSpan.FromSeconds(1), NullLogger<CliRunner>.Instance), options)
    {
        public int Reads { get; private set; }

        public bool Fail { get; set; }

        public override Task<IReadOnlyList<string>> GetApiServerCidrsAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Fail
                ? throw new CliCommandException(CliFailure.ExitCode, "kubectl get endpoints", "connection refused", null)
                : Task.FromResult<IReadOnlyList<string>>([$"203.0.113.{Reads}/32"]);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly StoreProvisioningOptions Options = new() { SqlitePath = "s.db", ChartsRoot = "/charts" };

    // A burst of installs reads the API server's endpoints once a minute, not once per store; a failed read is not kept.
    [Fact]
    public async Task Reads_the_cluster_at_most_once_a_minute_and_never_keeps_a_failure()
    {
        var kubectl = new CountingKubectl(Options);
        var clock = new ManualClock();
        var addresses = new ApiServerAddresses(kubectl, Options, clock);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(["203.0.113.1/32"], await addresses.GetAsync(CancellationToken.None));
        }

        Assert.Equal(1, kubectl.Reads);

        clock.Now += ApiServerAddresses.Fresh;
        Assert.Equal(["203.0.113.2/32"], await addresses.GetAsync(CancellationToken.None));

        clock.Now += ApiServerAddresses.Fresh;
        kubectl.Fail = true;
        await Assert.ThrowsAsync<CliCommandException>(() => addresses.GetAsync(CancellationToken.None));
        kubectl.Fail = false;
        Assert.Equal(["203.0.113.4/32"], await addresses.GetAsync(CancellationToken.None));
        Assert.Equal(4, kubectl.Reads);
    }

    // API_SERVER_CIDRS, when set, is used as given and the cluster is never asked.
    [Fact]
    public async Task Configured_cidrs_win_without_a_read()
    {
        var options = Options with { ApiServerCidrs = ["198.51.100.7/32"] };
        var kubectl = new CountingKubectl(options);
        Assert.Equal(["198.51.100.7/32"], await new ApiServerAddresses(kubectl, options, new ManualClock()).GetAsync(CancellationToken.None));
        Assert.Equal(0, kubectl.Reads);
    }
}
