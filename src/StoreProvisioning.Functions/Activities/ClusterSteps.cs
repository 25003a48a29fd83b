using System.Collections.Concurrent;
using System.Diagnostics;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Which operations have a cluster step waiting for, or holding, a <see cref="ClusterWorkLimiter"/> slot in this
/// process, and since when it runs. The orchestrator's durable deadline guards a step's running time, not its time in
/// the queue: when the deadline passes, <see cref="RecordActivities.RecordFailure"/> asks here first and, if the step
/// is still queued or has not yet run for the whole deadline, the orchestrator waits again instead of failing a store
/// whose work simply has not had its turn (six stores at PROVISION_CONCURRENCY=2). Per process, like the limiter:
/// a step this process does not know (another instance, or lost in a crash) is failed as before.
/// </summary>
public static class ClusterSteps
{
    private static readonly ConcurrentDictionary<string, Step> Steps = new(StringComparer.Ordinal);

    /// <summary>Where a known step is: queued, or running for how long.</summary>
    public static (bool Known, bool Queued, TimeSpan Running) Observe(string operationId) =>
        Steps.TryGetValue(operationId, out var step)
            ? (true, step.Started == 0, step.Started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(step.Started))
            : (false, false, TimeSpan.Zero);

    /// <summary>Waits for a limiter slot, tracking the wait and the run under the operation id; dispose to release.</summary>
    public static async Task<IDisposable> AcquireAsync(ClusterWorkLimiter limiter, string operationId, CancellationToken cancellationToken)
    {
        var step = new Step();
        Steps[operationId] = step;
        try
        {
            var slot = await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            step.Started = Stopwatch.GetTimestamp();
            return new Release(operationId, step, slot);
        }
        catch
        {
            Steps.TryRemove(new KeyValuePair<string, Step>(operationId, step));
            throw;
        }
    }

    private sealed class Step
    {
        private long started;

        /// <summary>Stopwatch timestamp of the slot's acquisition; 0 while queued.</summary>
        public long Started
        {
            get => Volatile.Read(ref started);
            set => Volatile.Write(ref started, value);
        }
    }

    private sealed class Release(string operationId, Step step, IDisposable slot) : IDisposable
    {
        public void Dispose()
        {
            Steps.TryRemove(new KeyValuePair<string, Step>(operationId, step));
            slot.Dispose();
        }
    }
}
