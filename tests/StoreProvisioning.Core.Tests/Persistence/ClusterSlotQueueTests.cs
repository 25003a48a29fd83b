using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

public class ClusterSlotQueueTests
{
    private readonly Func<RepositoryHarness> harness;

    public ClusterSlotQueueTests()
        : this(() => new RepositoryHarness())
    {
    }

    /// <summary>The same queue on another engine (see PostgresContractTests).</summary>
    protected ClusterSlotQueueTests(Func<RepositoryHarness> harness) => this.harness = harness;

    // Claims are admitted first in, first out, at most `concurrency` at a time; claiming again keeps the place.
    [Fact]
    public async Task Admits_the_first_claims_in_arrival_order()
    {
        using var db = harness();
        var queue = new ClusterSlotQueue(db.Database, db.Clock);
        var stores = new List<StoreProvisioning.Stores.Store>();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            stores.Add(await db.ProvisioningAsync(name, user: name));
        }

        var admitted = new List<bool>();
        foreach (var s in stores)
        {
            admitted.Add(await queue.ClaimAsync(s.OperationId!, s.Name, "inst-" + s.Name, concurrency: 2));
        }

        Assert.Equal([true, true, false, false], admitted);
        Assert.False(await queue.ClaimAsync(stores[3].OperationId!, "d", "inst-d-redrive", 2)); // same place, behind c
        Assert.Equal(["a", "b", "c", "d"], (await queue.ListAsync(2)).Select(c => c.StoreName));
        Assert.Equal("inst-d-redrive", (await queue.ListAsync(2))[3].InstanceId);
        Assert.Equal(["inst-a", "inst-b"], (await queue.AdmittedAsync(2)).Select(c => c.InstanceId)); // only the holders
    }

    // Releasing a slot admits exactly the next claim in order and names its instance; releasing again admits nobody.
    [Fact]
    public async Task Release_hands_the_slot_to_the_next_in_line()
    {
        using var db = harness();
        var queue = new ClusterSlotQueue(db.Database, db.Clock);
        var a = await db.ProvisioningAsync("a", "a");
        var b = await db.ProvisioningAsync("b", "b");
        var c = await db.ProvisioningAsync("c", "c");
        await queue.ClaimAsync(a.OperationId!, "a", "inst-a", 1);
        await queue.ClaimAsync(b.OperationId!, "b", "inst-b", 1);
        await queue.ClaimAsync(c.OperationId!, "c", "inst-c", 1);

        Assert.Empty(await queue.ReleaseAsync(c.OperationId!, 1)); // a waiting claim leaving admits nobody
        Assert.Equal(["inst-b"], await queue.ReleaseAsync(a.OperationId!, 1));
        Assert.Empty(await queue.ReleaseAsync(a.OperationId!, 1));
        Assert.True(await queue.ClaimAsync(b.OperationId!, "b", "inst-b", 1));
    }

    // A claim's start input travels to the release that admits it (which marks that operation started); a later claim
    // without one keeps it, and a claim that asked for nothing comes without.
    [Fact]
    public async Task The_release_that_admits_a_claim_returns_its_start_input()
    {
        using var db = harness();
        var queue = new ClusterSlotQueue(db.Database, db.Clock);
        var a = await db.ProvisioningAsync("a", "a");
        var b = await db.ProvisioningAsync("b", "b");
        var c = await db.ProvisioningAsync("c", "c");
        await queue.ClaimAsync(a.OperationId!, "a", "inst-a", 1);
        await queue.ClaimAsync(b.OperationId!, "b", "inst-b", 1, startInput: """{"storeName":"b"}""");
        await queue.ClaimAsync(b.OperationId!, "b", "inst-b", 1); // a recheck
        await queue.ClaimAsync(c.OperationId!, "c", "inst-c", 1);

        var admitted = Assert.Single(await queue.ReleaseAdmittingAsync(a.OperationId!, 1));
        Assert.Equal(("inst-b", """{"storeName":"b"}"""), (admitted.InstanceId, admitted.StartInput));
        var next = Assert.Single(await queue.ReleaseAdmittingAsync(b.OperationId!, 1));
        Assert.Equal(("inst-c", (string?)null), (next.InstanceId, next.StartInput));
        Assert.Empty(await queue.ReleaseAdmittingAsync(b.OperationId!, 1));
    }

    // Another process on the same database sees the same queue: the bound is not per process.
    [Fact]
    public async Task Two_processes_share_one_bound()
    {
        using var db = harness();
        var here = new ClusterSlotQueue(db.Database, db.Clock);
        var there = new ClusterSlotQueue(db.OpenAnotherDatabase(), db.Clock);
        var a = await db.ProvisioningAsync("a", "a");
        var b = await db.ProvisioningAsync("b", "b");

        Assert.True(await here.ClaimAsync(a.OperationId!, "a", "inst-a", 1));
        Assert.False(await there.ClaimAsync(b.OperationId!, "b", "inst-b", 1));
        Assert.Equal(["inst-b"], await there.ReleaseAsync(a.OperationId!, 1));
    }

    // Stale claims go: a store that is gone, runs another operation, or is no longer in flight. Live ones stay.
    [Fact]
    public async Task Stale_claims_are_released_and_the_next_admitted()
    {
        using var db = harness();
        var queue = new ClusterSlotQueue(db.Database, db.Clock);
        var failed = await db.FailedAsync("failed", "u1");
        var live = await db.ProvisioningAsync("live", "u2");
        var waiting = await db.ProvisioningAsync("waiting", "u3");
        await queue.ClaimAsync("gone-op", "gone", "inst-gone", 2);
        await queue.ClaimAsync(failed.OperationId!, "failed", "inst-failed", 2);
        await queue.ClaimAsync("old-op", "live", "inst-old", 2);
        await queue.ClaimAsync(live.OperationId!, "live", "inst-live", 2);
        await queue.ClaimAsync(waiting.OperationId!, "waiting", "inst-waiting", 2);

        var admitted = await queue.ReleaseStaleAsync(2, db.Clock.GetUtcNow());

        Assert.Equal(["inst-live", "inst-waiting"], admitted);
        Assert.Equal(["live", "waiting"], (await queue.ListAsync(2)).Select(c => c.StoreName));
        Assert.Empty(await queue.ReleaseStaleAsync(2, db.Clock.GetUtcNow()));
    }

    // Cluster work that is not an operation (the reconciler's repair) takes a slot only when one is free and nobody
    // waits; while it holds it an operation queues behind it, and its release admits that operation. Its claim is stale
    // only once it is older than the cutoff (its process died mid-repair).
    [Fact]
    public async Task A_repair_takes_only_a_free_slot_and_is_stale_only_after_the_cutoff()
    {
        using var db = harness();
        var queue = new ClusterSlotQueue(db.Database, db.Clock);
        var a = await db.ProvisioningAsync("a", "a");
        var b = await db.ProvisioningAsync("b", "b");
        Assert.True(await queue.ClaimAsync(a.OperationId!, "a", "inst-a", 2));

        var repair = await queue.TryTakeFreeSlotAsync("ready-store", 2);
        Assert.NotNull(repair);
        Assert.Null(await queue.TryTakeFreeSlotAsync("other-store", 2)); // both slots taken
        Assert.False(await queue.ClaimAsync(b.OperationId!, "b", "inst-b", 2)); // queued behind the repair

        Assert.Empty(await queue.ReleaseStaleAsync(2, db.Clock.GetUtcNow() - TimeSpan.FromMinutes(5))); // a live repair stays
        Assert.Equal(["inst-b"], await queue.ReleaseAsync(repair!, 2));

        var crashed = await queue.TryTakeFreeSlotAsync("ready-store", 3);
        Assert.NotNull(crashed);
        db.Clock.Advance(TimeSpan.FromMinutes(6));
        await queue.ReleaseStaleAsync(3, db.Clock.GetUtcNow() - TimeSpan.FromMinutes(5));
        Assert.Equal(["a", "b"], (await queue.ListAsync(3)).Select(c => c.StoreName));
    }

    // Twenty operations claiming at once through two database instances: exactly `concurrency` are admitted, and
    // releasing them admits the next ones in arrival order (the read-and-insert is one step on every engine).
    [Fact]
    public async Task Parallel_claims_over_two_instances_admit_exactly_the_bound()
    {
        using var db = harness();
        var queues = new[] { new ClusterSlotQueue(db.Database, db.Clock), new ClusterSlotQueue(db.OpenAnotherDatabase(), db.Clock) };
        var stores = new List<StoreProvisioning.Stores.Store>();
        for (var i = 0; i < 20; i++)
        {
            stores.Add(await db.ProvisioningAsync($"s{i}", $"u{i}"));
        }

        var admitted = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => queues[i % 2].ClaimAsync(s.OperationId!, s.Name, "inst-" + s.Name, 2))));

        Assert.Equal(2, admitted.Count(a => a));
        var holders = (await queues[0].ListAsync(2)).Where(c => c.Admitted).ToList();
        Assert.Equal(stores.Where((_, i) => admitted[i]).Select(s => s.Name).Order(), holders.Select(c => c.StoreName).Order());
    }
}
