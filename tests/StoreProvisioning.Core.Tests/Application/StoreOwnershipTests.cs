using StoreProvisioning.Application;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Identity;
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

    public StoreOwnershipTests() =>
        service = new StoreService(h.Repository, new StoreProvisioningOptions { SqlitePath = h.DatabasePath, ChartsRoot = "/charts", MaxStoresPerUser = 3, MaxStoresTotal = 3 });

    public void Dispose() => h.Dispose();

    // Another user's store is "not found" for every call; the owner and operators reach it.
    [Fact]
    public async Task Another_users_store_is_not_found()
    {
        await h.ReadyAsync("bobs", "bob");
        Assert.Equal(ResultKind.NotFound, (await service.GetAsync(Alice, "bobs")).Kind);
        Assert.Equal(ResultKind.NotFound, (await service.UpgradeAsync(Alice, "bobs", null)).Kind);
        Assert.Equal(ResultKind.NotFound, (await service.RollbackAsync(Alice, "bobs", null)).Kind);
        Assert.Equal(ResultKind.NotFound, (await service.RetryAsync(Alice, "bobs")).Kind);
        Assert.Equal(ResultKind.NotFound, (await service.DeleteAsync(Alice, "bobs")).Kind);
        Assert.Empty(await service.ListAsync(Alice, null, null));
        Assert.Empty(await service.ListAsync(Alice, "bob", null));
        Assert.Empty(await service.ActivityAsync(Alice, 50, "bobs"));
        Assert.Equal(0, (await service.MetricsAsync(Alice)).ByStatus.Values.Sum());

        Assert.Equal(ResultKind.Ok, (await service.GetAsync(Bob, "bobs")).Kind);
        Assert.Equal(ResultKind.Ok, (await service.GetAsync(Ops, "bobs")).Kind);
        Assert.Single(await service.ListAsync(Ops, null, null));
        Assert.Equal(ResultKind.Ok, (await service.DeleteAsync(Bob, "bobs")).Kind);
    }

    // A user creates only for themself; an operator creates for the named user and is recorded as the actor.
    [Fact]
    public async Task Owners_and_actors_of_creates()
    {
        Assert.Equal(ResultKind.Forbidden, (await service.CreateAsync(Alice, new CreateStoreRequest("for-bob", "bob", StoreEngine.WooCommerce))).Kind);
        Assert.Equal("alice", (await service.CreateAsync(Alice, new CreateStoreRequest("mine", null, StoreEngine.WooCommerce))).Value!.UserId);
        Assert.Equal("bob", (await service.CreateAsync(Ops, new CreateStoreRequest("bobs", "bob", StoreEngine.WooCommerce))).Value!.UserId);
        var audit = Assert.Single(await service.ActivityAsync(Ops, 50, "bobs"));
        Assert.Equal(("bob", "ops"), (audit.UserId, audit.Actor));
        Assert.Equal("alice", Assert.Single(await service.ActivityAsync(Alice, 50, "mine")).Actor);
    }

    // MAX_STORES_TOTAL refuses the next create with its own problem type, whoever asks.
    [Fact]
    public async Task The_total_limit_has_its_own_problem_type()
    {
        foreach (var (name, owner) in new[] { ("s-1", "a"), ("s-2", "b"), ("s-3", "c") })
        {
            Assert.Equal(ResultKind.Ok, (await service.CreateAsync(Ops, new CreateStoreRequest(name, owner, StoreEngine.WooCommerce))).Kind);
        }

        var full = await service.CreateAsync(Ops, new CreateStoreRequest("s-4", "d", StoreEngine.WooCommerce));
        Assert.Equal(ResultKind.Forbidden, full.Kind);
        Assert.Equal(StoreService.TotalLimitProblemType, full.ProblemType);
        Assert.Contains("MAX_STORES_TOTAL", full.Detail);
        Assert.Null((await service.CreateAsync(Ops, new CreateStoreRequest("s-5", "a", StoreEngine.WooCommerce))).Value);
    }
}
