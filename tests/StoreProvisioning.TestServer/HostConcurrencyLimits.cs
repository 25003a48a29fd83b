using System.Collections.Concurrent;
using DurableTask.Core;

namespace StoreProvisioning.TestServer;

/// <summary>
/// An orchestration service that hands out at most <see cref="HostConcurrency"/> activity and orchestration work items
/// at once, waiting on a semaphore as DurableTask.Core's dispatcher under the Functions host does. The in-process
/// sidecar's own dispatcher would cap both at the processor count and, once full, look again only every 500 ms; so it
/// is told there is no cap, and the cap is applied here, where a finished work item frees its place at once.
/// Everything else is passed through to the inner service.
/// </summary>
public sealed class HostConcurrencyLimits(IOrchestrationService inner, HostConcurrency limits) : IOrchestrationService
{
    // The sidecar dispatcher's own limit: never reached, so it never polls.
    private const int Unbounded = 100_000;

    private readonly SemaphoreSlim activitySlots = new(limits.Activities, limits.Activities);
    private readonly SemaphoreSlim orchestrationSlots = new(limits.Orchestrators, limits.Orchestrators);
    private readonly ConcurrentDictionary<TaskActivityWorkItem, byte> runningActivities = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<TaskOrchestrationWorkItem, byte> runningOrchestrations = new(ReferenceEqualityComparer.Instance);

    public int MaxConcurrentTaskActivityWorkItems => Unbounded;

    public int MaxConcurrentTaskOrchestrationWorkItems => Unbounded;

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        await LockAsync(activitySlots, runningActivities, () => inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken), cancellationToken);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            Free(activitySlots, runningActivities, workItem);
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            Free(activitySlots, runningActivities, workItem);
        }
    }

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        await LockAsync(orchestrationSlots, runningOrchestrations, () => inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken), cancellationToken);

    // The dispatcher releases every orchestration work item once it is done with it (completed or abandoned).
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            Free(orchestrationSlots, runningOrchestrations, workItem);
        }
    }

    private static async Task<T> LockAsync<T>(SemaphoreSlim slots, ConcurrentDictionary<T, byte> running, Func<Task<T>> next, CancellationToken cancellationToken)
        where T : class
    {
        await slots.WaitAsync(cancellationToken);
        T? workItem = null;
        try
        {
            workItem = await next();
            return workItem;
        }
        finally
        {
            if (workItem is null || !running.TryAdd(workItem, 0))
            {
                slots.Release();
            }
        }
    }

    // Once per work item, whichever of complete, abandon or release comes first.
    private static void Free<T>(SemaphoreSlim slots, ConcurrentDictionary<T, byte> running, T workItem)
        where T : class
    {
        if (running.TryRemove(workItem, out _))
        {
            slots.Release();
        }
    }

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);
}
