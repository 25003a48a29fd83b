using System.Reflection;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using StoreProvisioning.Testing;
using StoreProvisioning.TestServer;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// The test server's durable engine runs as many activities and orchestrator episodes at once as the Functions host
/// would (host.json, app settings over it), and a finished work item frees its place at once, as under the host.
/// </summary>
public sealed class HostConcurrencyLimitsTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    // Proves at most maxConcurrentActivityFunctions activities are handed out; completing or abandoning one frees exactly one place, once.
    [Fact]
    public async Task Activities_wait_for_a_free_place_and_each_finish_frees_one()
    {
        var limits = new HostConcurrencyLimits(EndlessWork.Create(), new HostConcurrency(Activities: 2, Orchestrators: 1));
        Assert.True(limits.MaxConcurrentTaskActivityWorkItems >= 1000, "the sidecar's own cap (and its 500 ms poll) must never be reached");

        var first = await limits.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var second = await limits.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var third = limits.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(third.IsCompleted, "a third activity started while two ran with maxConcurrentActivityFunctions=2");

        await limits.CompleteTaskActivityWorkItemAsync(first, null!);
        await third.WaitAsync(Soon);

        // The same work item finishing twice frees no second place.
        await limits.AbandonTaskActivityWorkItemAsync(first);
        var fourth = limits.LockNextTaskActivityWorkItem(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(fourth.IsCompleted, "a repeated finish freed a place");

        await limits.AbandonTaskActivityWorkItemAsync(second);
        await fourth.WaitAsync(Soon);
    }

    // Proves orchestrator episodes are bounded by maxConcurrentOrchestratorFunctions and freed when the dispatcher releases the work item.
    [Fact]
    public async Task Orchestrations_are_freed_on_release()
    {
        var limits = new HostConcurrencyLimits(EndlessWork.Create(), new HostConcurrency(Activities: 1, Orchestrators: 1));
        var first = await limits.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var second = limits.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(second.IsCompleted);

        await limits.ReleaseTaskOrchestrationWorkItemAsync(first);
        await second.WaitAsync(Soon);
    }

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

    private static IConfiguration Settings(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    /// <summary>An orchestration service that always has another work item ready; finishing one is a no-op.</summary>
    public class EndlessWork : DispatchProxy
    {
        public static IOrchestrationService Create() => Create<IOrchestrationService, EndlessWork>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            nameof(IOrchestrationService.LockNextTaskActivityWorkItem) => Task.FromResult(new TaskActivityWorkItem { Id = Guid.NewGuid().ToString() }),
            nameof(IOrchestrationService.LockNextTaskOrchestrationWorkItemAsync) => Task.FromResult(new TaskOrchestrationWorkItem { InstanceId = Guid.NewGuid().ToString() }),
            _ when targetMethod.ReturnType == typeof(Task) => Task.CompletedTask,
            _ => throw new NotSupportedException(targetMethod.Name),
        };
    }
}
