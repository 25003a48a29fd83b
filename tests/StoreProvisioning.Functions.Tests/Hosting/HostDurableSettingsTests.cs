using Microsoft.Extensions.Configuration;
using StoreProvisioning.Testing;
using StoreProvisioning.TestServer;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>The test server reads the host's durableTask settings as the Functions host does: host.json, app settings over it.</summary>
public sealed class HostDurableSettingsTests
{
    // Proves the limits come from host.json, and an AzureFunctionsJobHost__extensions__durableTask__… app setting overrides them as under the host.
    [Fact]
    public void Limits_come_from_host_json_and_app_settings_override_them()
    {
        var hostJson = RepositoryFiles.Path("host.json");
        var fromFile = HostConcurrency.From(new ConfigurationBuilder().Build(), hostJson);
        Assert.Equal(new HostConcurrency(6, 10), fromFile);

        var overridden = HostConcurrency.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureFunctionsJobHost:extensions:durableTask:maxConcurrentActivityFunctions"] = "12",
            }).Build(),
            hostJson);
        Assert.Equal(new HostConcurrency(12, 10), overridden);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:maxConcurrentOrchestratorFunctions"] = "lots",
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => HostConcurrency.From(bad, hostJson));
        Assert.Contains("maxConcurrentOrchestratorFunctions", error.Message, StringComparison.Ordinal);
    }

    // Proves the Azure Storage provider's idle polling comes from host.json as under the host (an app setting overrides
    // it; without either, the provider's 30 s), and a value that is no duration stops the server's start with its name.
    [Fact]
    public void Queue_polling_comes_from_host_json_as_under_the_host()
    {
        var hostJson = RepositoryFiles.Path("host.json");
        Assert.Equal(TimeSpan.FromSeconds(1), HostQueuePolling.From(new ConfigurationBuilder().Build(), hostJson));

        var setting = "AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval";
        Assert.Equal(TimeSpan.FromSeconds(5), HostQueuePolling.From(Settings(setting, "00:00:05"), hostJson));

        var bare = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(bare, """{"version":"2.0","extensions":{"durableTask":{"maxConcurrentActivityFunctions":6}}}""");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(30), HostQueuePolling.From(new ConfigurationBuilder().Build(), bare));
        }
        finally
        {
            File.Delete(bare);
        }

        var error = Assert.Throws<InvalidOperationException>(() => HostQueuePolling.From(Settings(setting, "soon"), hostJson));
        Assert.Contains("AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval", error.Message, StringComparison.Ordinal);
    }

    // Proves the task hub's partitions (control queues) are the host's: host.json does not set them, so 4, the
    // provider's default under the host; an app setting sets them; a count outside 1-16 stops the start with its name.
    [Fact]
    public void Partitions_are_the_hosts()
    {
        var hostJson = RepositoryFiles.Path("host.json");
        Assert.Equal(4, HostPartitionCount.From(new ConfigurationBuilder().Build(), hostJson));

        var setting = "AzureFunctionsJobHost:extensions:durableTask:storageProvider:partitionCount";
        Assert.Equal(2, HostPartitionCount.From(Settings(setting, "2"), hostJson));
        foreach (var bad in new[] { "0", "17", "four" })
        {
            var error = Assert.Throws<InvalidOperationException>(() => HostPartitionCount.From(Settings(setting, bad), hostJson));
            Assert.Contains("AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount", error.Message, StringComparison.Ordinal);
        }
    }

    private static IConfiguration Settings(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
}
