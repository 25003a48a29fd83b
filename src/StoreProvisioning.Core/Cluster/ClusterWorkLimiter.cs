using System.Collections.Concurrent;
using System.Diagnostics;

namespace StoreProvisioning.Cluster;

/// <summary>
/// Bounds how many cluster steps run at once in this process (PROVISION_CONCURRENCY). The cluster-wide, first-in
/// first-out bound is the cluster slot queue (Persistence.ClusterSlotQueue): an operation reaches its cluster steps only
/// once admitted there, so this backstop is not contended in normal operation. It still matters when a step's durable
/// deadline passed and its operation gave the queue slot back while the step's helm or kubectl is still being stopped
/// here: the next operation's step then waits for that process instead of running beside it.
/// It also knows, per operation, whether its step is still waiting for a slot or since when it runs, so a step's
/// deadline can guard its running time rather than its time in the queue behind other stores.
/// </summary>
public sealed class ClusterWorkLimiter(int concurrency)
{
    private readonly SemaphoreSlim slots = new(concurrency, concurrency);
    private readonly ConcurrentDictionary<string, Step> steps = new(StringComparer.Ordinal);

    public int Concurrency { get; } = concurrency;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(null, cancellationToken);

    /// <summary>Waits for a free slot for the operation's step, tracking the wait and the run; dispose to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(string? operationId, CancellationToken cancellationToken)
    {
        var step = new Step();
        if (operationId is not null)
        {
            steps[operationId] = step;
        }

        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget(operationId, step);
            throw;
        }

        step.Started = Stopwatch.GetTimestamp();
        return new Slot(this, operationId, step);
    }

    /// <summary>Where the operation's step is in this process: unknown, queued for a slot, or running for how long.</summary>
    public (bool Known, bool Queued, TimeSpan Running) Observe(string operationId) =>
        steps.TryGetValue(operationId, out var step)
            ? (true, step.Started == 0, step.Started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(step.Started))
            : (false, false, TimeSpan.Zero);

    private void Forget(string? operationId, Step step)
    {
        if (operationId is not null)
        {
            steps.TryRemove(new KeyValuePair<string, Step>(operationId, step));
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

    private sealed class Slot(ClusterWorkLimiter limiter, string? operationId, Step step) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                limiter.Forget(operationId, step);
                limiter.slots.Release();
            }
        }
    }
}
