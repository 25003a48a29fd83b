using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

public class ClusterStepRunsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly Func<RepositoryHarness> harness;

    public ClusterStepRunsTests()
        : this(() => new RepositoryHarness())
    {
    }

    /// <summary>The same fence on another engine (see PostgresContractTests).</summary>
    protected ClusterStepRunsTests(Func<RepositoryHarness> harness) => this.harness = harness;

    // One run per store at a time: a second run waits until the first ends; other stores are not held up.
    [Fact]
    public async Task A_second_run_of_the_same_store_starts_only_after_the_first_ends()
    {
        using var db = harness();
        var runs = new ClusterStepRuns(db.Database, db.Clock);

        Assert.True(await runs.TryStartAsync("acme", "run-1", Lease));
        Assert.False(await runs.TryStartAsync("acme", "run-2", Lease));
        Assert.True(await runs.TryStartAsync("other", "run-3", Lease));

        await runs.EndAsync("acme", "run-2"); // not the holder: changes nothing
        Assert.False(await runs.TryStartAsync("acme", "run-2", Lease));

        await runs.EndAsync("acme", "run-1");
        Assert.True(await runs.TryStartAsync("acme", "run-2", Lease));
    }

    // A run whose process died lets go when its lease runs out; renewing keeps a live run's hold, and a run that lost
    // its hold can neither renew nor end the new holder's.
    [Fact]
    public async Task A_lease_that_runs_out_lets_the_next_run_start()
    {
        using var db = harness();
        var runs = new ClusterStepRuns(db.Database, db.Clock);
        Assert.True(await runs.TryStartAsync("acme", "run-1", Lease));

        db.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await runs.RenewAsync("acme", "run-1", Lease));
        db.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await runs.TryStartAsync("acme", "run-2", Lease)); // renewed 20 s ago: still held

        db.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await runs.TryStartAsync("acme", "run-2", Lease));
        Assert.False(await runs.RenewAsync("acme", "run-1", Lease));
        await runs.EndAsync("acme", "run-1");
        Assert.False(await runs.TryStartAsync("acme", "run-3", Lease));
    }

    // Runs racing for one store: exactly one starts.
    [Fact]
    public async Task Racing_runs_start_one_at_a_time()
    {
        using var db = harness();
        var runs = new ClusterStepRuns(db.Database, db.Clock);

        var started = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => runs.TryStartAsync("acme", $"run-{i}", Lease)));

        Assert.Single(started, s => s);
    }
}
