using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class ClusterWorkLimiterTests
{
    // With concurrency 2, 8 parallel jobs never run more than 2 at once, and all of them finish.
    [Fact]
    public async Task Never_more_than_concurrency_at_once()
    {
        var limiter = new ClusterWorkLimiter(2);
        var running = 0;
        var peak = 0;
        var done = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using (await limiter.AcquireAsync(CancellationToken.None))
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(30);
                Interlocked.Decrement(ref running);
            }

            Interlocked.Increment(ref done);
        })));

        Assert.Equal(2, limiter.Concurrency);
        Assert.Equal(2, peak);
        Assert.Equal(8, done);
    }

    // Disposing a slot twice gives back one slot only, so the bound cannot be exceeded by a double dispose.
    [Fact]
    public async Task Double_dispose_releases_once()
    {
        var limiter = new ClusterWorkLimiter(1);
        var slot = await limiter.AcquireAsync(CancellationToken.None);
        slot.Dispose();
        slot.Dispose();

        using var first = await limiter.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(cts.Token));
    }

    // A waiter can give up through its token without taking a slot.
    [Fact]
    public async Task Waiting_is_cancellable()
    {
        var limiter = new ClusterWorkLimiter(1);
        using var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(cts.Token));
    }

    // Observe tells a queued step from a running one and forgets it once its slot is given back, so a deadline can
    // measure running time only.
    [Fact]
    public async Task Observe_tracks_queued_running_and_released_steps()
    {
        var limiter = new ClusterWorkLimiter(1);
        Assert.False(limiter.Observe("op-a").Known);

        var first = await limiter.AcquireAsync("op-a", CancellationToken.None);
        var (known, queued, _) = limiter.Observe("op-a");
        Assert.True(known);
        Assert.False(queued);

        var second = limiter.AcquireAsync("op-b", CancellationToken.None);
        Assert.Equal((true, true, TimeSpan.Zero), limiter.Observe("op-b"));

        first.Dispose();
        using (await second)
        {
            Assert.False(limiter.Observe("op-a").Known);
            Assert.False(limiter.Observe("op-b").Queued);
        }

        Assert.False(limiter.Observe("op-b").Known);
    }

    // A step whose wait for a slot is cancelled is not left behind as "queued".
    [Fact]
    public async Task Cancelled_wait_is_forgotten()
    {
        var limiter = new ClusterWorkLimiter(1);
        using var held = await limiter.AcquireAsync("op-a", CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync("op-b", cts.Token));
        Assert.False(limiter.Observe("op-b").Known);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
