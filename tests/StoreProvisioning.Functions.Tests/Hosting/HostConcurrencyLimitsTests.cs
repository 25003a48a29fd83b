using System.Reflection;
using DurableTask.Core;
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
