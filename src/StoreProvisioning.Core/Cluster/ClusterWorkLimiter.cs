namespace StoreProvisioning.Cluster;

/// <summary>
/// Bounds how many cluster steps run at once (PROVISION_CONCURRENCY). The Functions host enforces the same number
/// through maxConcurrentActivityFunctions only under Core Tools; this holds everywhere, tests included.
/// </summary>
public sealed class ClusterWorkLimiter(int concurrency)
{
    private readonly SemaphoreSlim slots = new(concurrency, concurrency);

    public int Concurrency { get; } = concurrency;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
