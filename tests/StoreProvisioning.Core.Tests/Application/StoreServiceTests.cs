using System.Text.Json;
using StoreProvisioning.Application;
using StoreProvisioning.Catalog;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Application;

public sealed class StoreServiceTests : IDisposable
{
    private readonly RepositoryHarness h = new();
    private readonly StoreService service;

    public StoreServiceTests() =>
        service = new StoreService(h.Repository, new StoreProvisioningOptions { SqlitePath = h.DatabasePath, ChartsRoot = "/charts", MaxStoresPerUser = 2 }, ShippedCatalog.Load());

    public void Dispose() => h.Dispose();

    // A duplicate name is a 400 (Invalid) naming the storeName field; the per-user limit is a 403 (Forbidden) naming the setting.
    [Fact]
    public async Task Create_maps_duplicate_and_limit()
    {
        Assert.True((await service.CreateAsync(Callers.Operator, new CreateStoreRequest("acme", "alice", StoreEngine.WooCommerce))).IsOk);

        var duplicate = await service.CreateAsync(Callers.Operator, new CreateStoreRequest("acme", "bob", StoreEngine.WooCommerce));
        Assert.Equal(RefusalKind.Invalid, duplicate.Refusal?.Kind);
        Assert.Contains("'acme'", duplicate.Refusal?.Detail);
        Assert.True(duplicate.Refusal?.Errors!.ContainsKey("storeName"));

        Assert.True((await service.CreateAsync(Callers.Operator, new CreateStoreRequest("acme-2", "alice", StoreEngine.Medusa))).IsOk);
        var limit = await service.CreateAsync(Callers.Operator, new CreateStoreRequest("acme-3", "alice", StoreEngine.Medusa));
        Assert.Equal(RefusalKind.Forbidden, limit.Refusal?.Kind);
        Assert.Contains("MAX_STORES_PER_USER = 2", limit.Refusal?.Detail);
    }

    // Operations on a missing store are 404 (NotFound).
    [Fact]
    public async Task Missing_store_is_not_found()
    {
        Assert.Equal(RefusalKind.NotFound, (await service.GetAsync(Callers.Operator, "ghost")).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.UpgradeAsync(Callers.Operator, "ghost", null)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.RollbackAsync(Callers.Operator, "ghost", null)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.RetryAsync(Callers.Operator, "ghost")).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await service.DeleteAsync(Callers.Operator, "ghost")).Refusal?.Kind);
    }

    // Retry of a READY store is 400 (Invalid); delete or upgrade while PROVISIONING is 409 (Conflict).
    [Fact]
    public async Task Refusals_map_to_invalid_and_conflict()
    {
        await h.ReadyAsync("ready-one");
        await h.ProvisioningAsync("busy-one");

        Assert.Equal(RefusalKind.Invalid, (await service.RetryAsync(Callers.Operator, "ready-one")).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, (await service.DeleteAsync(Callers.Operator, "busy-one")).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, (await service.UpgradeAsync(Callers.Operator, "busy-one", null)).Refusal?.Kind);
    }

    // An upgrade keeps its accepted settings as operation args (for a retry), moves the store to the plan it asks
    // for, and audits the plan.
    [Fact]
    public async Task Upgrade_records_settings_and_plan()
    {
        await h.ReadyAsync("acme");
        var result = await service.UpgradeAsync(new Caller("alice", Role.User), "acme", """{"plan":"medium","storeTitle":"Acme"}""");

        Assert.True(result.IsOk);
        Assert.Equal(StoreStatus.Provisioning, result.Value!.Status);
        Assert.Equal(StoreOperation.Upgrade, result.Value.Operation);
        Assert.Equal("medium", result.Value.Plan);
        using var args = JsonDocument.Parse(result.Value.OperationArgs!);
        Assert.Equal("Acme", args.RootElement.GetProperty("values").GetProperty("storeTitle").GetString());
        Assert.Equal("with new settings, plan medium", (await h.Queries.ListActivityAsync(1, "acme")).Single().Detail);
    }

    // Values outside the tenant boundary are refused (Invalid, an error per key) and nothing is written.
    [Fact]
    public async Task Upgrade_refuses_values_outside_the_boundary_and_changes_nothing()
    {
        var ready = await h.ReadyAsync("acme");
        var result = await service.UpgradeAsync(new Caller("alice", Role.User), "acme", """{"image":{"tag":"evil"},"version":"0.0"}""");

        Assert.Equal(RefusalKind.Invalid, result.Refusal?.Kind);
        Assert.Equal(["values.image", "values.version"], result.Refusal!.Errors!.Keys.Order(StringComparer.Ordinal));
        var after = await h.Repository.GetAsync("acme");
        Assert.Equal(ready.OperationId, after!.OperationId);
        Assert.Equal(StoreStatus.Ready, after.Status);
        Assert.Equal("small", after.Plan);
    }

    // Rollback without a revision needs an earlier one (revision > 1); a requested revision must be below the current.
    [Fact]
    public async Task Rollback_needs_an_earlier_revision()
    {
        await h.ReadyAsync("first", revision: 1);
        var nothing = await service.RollbackAsync(Callers.Operator, "first", null);
        Assert.Equal(RefusalKind.Invalid, nothing.Refusal?.Kind);
        Assert.Equal("Nothing to roll back to", nothing.Refusal?.Title);

        await h.ReadyAsync("third", revision: 3);
        var notEarlier = await service.RollbackAsync(Callers.Operator, "third", 3);
        Assert.Equal(RefusalKind.Invalid, notEarlier.Refusal?.Kind);
        Assert.True(notEarlier.Refusal?.Errors!.ContainsKey("revision"));

        var ok = await service.RollbackAsync(Callers.Operator, "third", 2);
        Assert.True(ok.IsOk);
        Assert.Equal(StoreOperation.Rollback, ok.Value!.Operation);
        using var args = JsonDocument.Parse(ok.Value.OperationArgs!);
        Assert.Equal(2, args.RootElement.GetProperty("revision").GetInt32());
        Assert.Equal("to revision 2", (await h.Queries.ListActivityAsync(1, "third")).Single().Detail);
    }

    // Delete and retry start their operations: DELETING for delete, PROVISIONING/retry for a failed store.
    [Fact]
    public async Task Delete_and_retry_start_operations()
    {
        await h.ReadyAsync("to-delete");
        await h.FailedAsync("to-retry");

        Assert.Equal(StoreStatus.Deleting, (await service.DeleteAsync(Callers.Operator, "to-delete")).Value!.Status);
        var retry = (await service.RetryAsync(Callers.Operator, "to-retry")).Value!;
        Assert.Equal(StoreStatus.Provisioning, retry.Status);
        Assert.Equal(StoreOperation.Retry, retry.Operation);
    }

    // When an accepted operation's orchestration could not be scheduled, the store is FAILED with a retryable reason.
    [Fact]
    public async Task MarkNotStarted_fails_the_store_with_a_reason()
    {
        await h.ReadyAsync("acme");
        var upgrading = (await service.UpgradeAsync(Callers.Operator, "acme", null)).Value!;
        await service.MarkNotStartedAsync(upgrading, "task hub unavailable");

        var store = (await service.GetAsync(Callers.Operator, "acme")).Value!;
        Assert.Equal(StoreStatus.Failed, store.Status);
        Assert.Equal("The upgrade could not be started: task hub unavailable. Retry it.", store.Error);
        Assert.Equal(AuditActions.OperationNotStarted, (await h.Queries.ListActivityAsync(1, "acme")).Single().Action);
    }

    // A delete that could not be scheduled stays DELETING (the reconciler re-drives it) and says why in the audit log.
    [Fact]
    public async Task MarkNotStarted_leaves_a_delete_to_the_reconciler()
    {
        await h.ReadyAsync("acme");
        var deleting = (await service.DeleteAsync(Callers.Operator, "acme")).Value!;
        await service.MarkNotStartedAsync(deleting, "task hub unavailable");

        Assert.Equal(StoreStatus.Deleting, (await service.GetAsync(Callers.Operator, "acme")).Value!.Status);
        var last = (await h.Queries.ListActivityAsync(1, "acme")).Single();
        Assert.Equal((AuditActions.OperationNotStarted, "task hub unavailable"), (last.Action, last.Detail));
    }

    // List, activity and metrics pass through to the repository.
    [Fact]
    public async Task Queries_pass_through()
    {
        await h.ReadyAsync("acme");
        Assert.Single(await h.Queries.ListAsync("alice", StoreStatus.Ready));
        Assert.Equal(3, (await h.Queries.ListActivityAsync(50, "acme")).Count);
        Assert.Equal(1, (await h.Queries.MetricsAsync()).ByStatus[StoreStatus.Ready]);
    }
}
