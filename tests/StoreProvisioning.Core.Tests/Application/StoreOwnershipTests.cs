using StoreProvisioning.Application;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Application;

public sealed class StoreOwnershipTests : IDisposable
{
    private static readonly Caller Alice = new("alice", Role.User);
    private static readonly Caller Bob = new("bob", Role.User);
    private static readonly Caller Ops = new("ops", Role.Operator);

    private readonly RepositoryHarness h = new();
    private readonly StoreService service;
    private readonly StoreQueries queries;

    public StoreOwnershipTests()
    {
        service = new StoreService(h.Repository, new StoreProvisioningOptions { SqlitePath = h.DatabasePath, ChartsRoot = "/charts", MaxStoresPerUser = 3, MaxStoresTotal = 3 }, ShippedCatalog.Load());
        queries = new StoreQueries(h.Database);
    }

    public void Dispose() => h.Dispose();

    // Another user's store is "not found" for every call; the owner and operators reach it.
    [Fact]
    public async Task Another_users_store_is_not_found()
    {
        await h.ReadyAsync("bobs", "bob");
        Assert.Equal(RefusalKind.NotFound, (await service.GetAsync(Alice, "bobs")).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.UpgradeAsync(Alice, "bobs", null)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.RollbackAsync(Alice, "bobs", null)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.RetryAsync(Alice, "bobs")).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.DeleteAsync(Alice, "bobs")).Refusal?.Kind);
        Assert.Empty(await queries.ListActivityAsync(50, "bobs", ownerUserId: Alice.OwnerScope));
        Assert.Equal(0, (await queries.MetricsAsync(ownerUserId: Alice.OwnerScope)).ByStatus.Values.Sum());

        Assert.True((await service.GetAsync(Bob, "bobs")).IsOk);
        Assert.True((await service.GetAsync(Ops, "bobs")).IsOk);
        Assert.NotEmpty(await queries.ListActivityAsync(50, "bobs", ownerUserId: "bob"));
        Assert.True((await service.DeleteAsync(Bob, "bobs")).IsOk);
    }

    // A user creates only for themself; an operator creates for the named user and is recorded as the actor.
    [Fact]
    public async Task Owners_and_actors_of_creates()
    {
        Assert.Equal(RefusalKind.Forbidden, (await service.CreateAsync(Alice, new CreateStoreRequest("for-bob", "bob", StoreEngine.WooCommerce))).Refusal?.Kind);
        Assert.Equal("alice", (await service.CreateAsync(Alice, new CreateStoreRequest("mine", null, StoreEngine.WooCommerce))).Value!.UserId);
        Assert.Equal("bob", (await service.CreateAsync(Ops, new CreateStoreRequest("bobs", "bob", StoreEngine.WooCommerce))).Value!.UserId);
        var audit = Assert.Single(await queries.ListActivityAsync(50, "bobs"));
        Assert.Equal(("bob", "ops"), (audit.UserId, audit.Actor));
        Assert.Equal("alice", Assert.Single(await queries.ListActivityAsync(50, "mine", ownerUserId: Alice.OwnerScope)).Actor);
    }

    // MAX_STORES_TOTAL refuses the next create with its own problem type, whoever asks.
    [Fact]
    public async Task The_total_limit_has_its_own_problem_type()
    {
        foreach (var (name, owner) in new[] { ("s-1", "a"), ("s-2", "b"), ("s-3", "c") })
        {
            Assert.True((await service.CreateAsync(Ops, new CreateStoreRequest(name, owner, StoreEngine.WooCommerce))).IsOk);
        }

        var full = await service.CreateAsync(Ops, new CreateStoreRequest("s-4", "d", StoreEngine.WooCommerce));
        Assert.Equal(RefusalKind.Forbidden, full.Refusal?.Kind);
        Assert.Equal(StoreService.TotalLimitProblemType, full.Refusal!.ProblemType);
        Assert.Contains("MAX_STORES_TOTAL", full.Refusal.Detail);
        Assert.Null((await service.CreateAsync(Ops, new CreateStoreRequest("s-5", "a", StoreEngine.WooCommerce))).Value);
    }
}
