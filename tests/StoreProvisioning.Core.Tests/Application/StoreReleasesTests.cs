using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using StoreProvisioning.Application;
using StoreProvisioning.Catalog;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Application;

/// <summary>
/// The store detail reads (<see cref="StoreReleases"/>): who may see them, the history cache, values filtered by the
/// tenant boundary, and an upgrade preview that is checked like the upgrade and changes nothing.
/// </summary>
public sealed class StoreReleasesTests : IDisposable
{
    private static readonly Caller Alice = new("alice", Role.User);
    private static readonly Caller Bob = new("bob", Role.User);

    private readonly RepositoryHarness h = new();
    private readonly CountingHelm helm;
    private readonly StoreService service;
    private readonly StoreReleases releases;
    private readonly StoreCatalog catalog = ShippedCatalog.Load();

    public StoreReleasesTests()
    {
        var options = new StoreProvisioningOptions { SqlitePath = h.DatabasePath, ChartsRoot = "/charts" };
        helm = new CountingHelm(options);
        service = new StoreService(h.Repository, options, catalog);
        releases = new StoreReleases(service, helm, catalog, h.Clock);
    }

    public void Dispose() => h.Dispose();

    // The history is newest first, read once per store and row state within the cache time: a new revision on the
    // row, or the time passing, reads it again.
    [Fact]
    public async Task History_is_cached_per_store_revision_and_time()
    {
        await h.ReadyAsync("acme", "alice", revision: 2);
        helm.History = [new HelmRevision(1, "superseded", "woocommerce-0.2.0", "Install complete"), new HelmRevision(2, "deployed", "woocommerce-0.2.0", "Upgrade complete")];

        var first = await releases.RevisionsAsync(Alice, "acme");
        Assert.Equal([2, 1], first.Value!.Select(r => r.Revision));
        await releases.RevisionsAsync(Alice, "acme");
        Assert.Equal(1, helm.HistoryCalls);

        h.Clock.Advance(StoreReleases.HistoryCacheTime + TimeSpan.FromSeconds(1));
        await releases.RevisionsAsync(Alice, "acme");
        Assert.Equal(2, helm.HistoryCalls);

        // An upgrade reaching READY at revision 3 within the cache time: read afresh.
        var upgrading = await h.Repository.BeginOperationAsync("acme", LifecycleCommand.Upgrade, StoreOperation.Upgrade, null, new ActivityDraft(AuditActions.UpgradeRequested));
        await h.Repository.SucceedAsync("acme", upgrading.Store!.OperationId!, 3, new ActivityDraft(AuditActions.UpgradeSucceeded));
        await releases.RevisionsAsync(Alice, "acme");
        Assert.Equal(3, helm.HistoryCalls);
        await releases.RevisionsAsync(Alice, "acme");
        Assert.Equal(3, helm.HistoryCalls);
    }

    // Another user's store and an unknown store are "not found" on every read, with no helm call; a NEW store has no
    // release yet: an empty history without asking helm.
    [Fact]
    public async Task Others_stores_are_not_found_and_a_new_store_has_no_revisions()
    {
        await h.ReadyAsync("acme", "alice");
        await h.CreateAsync("fresh", "bob");

        Assert.Equal(RefusalKind.NotFound, (await releases.RevisionsAsync(Bob, "acme")).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await releases.ValuesAsync(Bob, "acme", 1)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await releases.PreviewUpgradeAsync(Bob, "acme", null)).Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, (await releases.RevisionsAsync(Callers.Operator, "ghost")).Refusal?.Kind);
        Assert.Empty((await releases.RevisionsAsync(Bob, "fresh")).Value!);
        Assert.Equal(RefusalKind.NotFound, (await releases.ValuesAsync(Bob, "fresh", 1)).Refusal?.Kind);
        Assert.Equal(0, helm.HistoryCalls + helm.ValuesCalls);
    }

    // A revision's values reach the caller tenant-visible only: the generated credentials and the store keys are dropped.
    [Fact]
    public async Task Revision_values_are_tenant_visible_only()
    {
        await h.ReadyAsync("acme", "alice");
        helm.Values[1] = Installed();

        var values = (await releases.ValuesAsync(Alice, "acme", 1)).Value!;
        Assert.Equal(1, values.Revision);
        Assert.Equal("""{"image":{"tag":"6.8.3-php8.3-apache"},"setup":{"storeTitle":"Shop"}}""", values.Values.ToJsonString());
        Assert.Equal(RefusalKind.NotFound, (await releases.ValuesAsync(Alice, "acme", 7)).Refusal?.Kind);
    }

    // The preview compares the deployed revision with what ChartOverrides builds for the request, refuses exactly
    // what the upgrade refuses (same errors), is 409 while an operation runs, and writes nothing.
    [Fact]
    public async Task Preview_is_the_upgrades_merge_checked_the_same_way()
    {
        await h.ReadyAsync("acme", "alice", revision: 2);
        helm.History = [new HelmRevision(1, "superseded", null, null), new HelmRevision(2, "deployed", null, null), new HelmRevision(3, "failed", null, null)];
        helm.Values[2] = Installed();
        var before = await h.Repository.GetAsync("acme");

        const string request = """{"plan":"medium","storeTitle":"Corner"}""";
        var preview = (await releases.PreviewUpgradeAsync(Alice, "acme", request)).Value!;
        Assert.Equal(2, preview.FromRevision);
        Assert.Equal("""{"image":{"tag":"6.8.3-php8.3-apache"},"setup":{"storeTitle":"Shop"}}""", preview.Current.ToJsonString());
        using var accepted = System.Text.Json.JsonDocument.Parse(request);
        var (built, _) = ChartOverrides.Build(StoreEngine.WooCommerce, catalog, "small", accepted.RootElement);
        Assert.Equal(UpgradeValuesPolicy.TenantVisible(StoreEngine.WooCommerce, catalog, built!).ToJsonString(), preview.Proposed.ToJsonString());
        Assert.Equal("10Gi", preview.Proposed["persistence"]!["size"]!.GetValue<string>());
        Assert.Equal(before, await h.Repository.GetAsync("acme"));

        const string refused = """{"image":{"tag":"x"},"plan":"unlimited"}""";
        var previewRefusal = (await releases.PreviewUpgradeAsync(Alice, "acme", refused)).Refusal!;
        var upgradeRefusal = (await service.UpgradeAsync(Alice, "acme", refused)).Refusal!;
        Assert.Equal(RefusalKind.Invalid, previewRefusal.Kind);
        Assert.Equal(upgradeRefusal.Errors!.OrderBy(e => e.Key).Select(e => $"{e.Key}={string.Join('|', e.Value)}"), previewRefusal.Errors!.OrderBy(e => e.Key).Select(e => $"{e.Key}={string.Join('|', e.Value)}"));

        await h.ProvisioningAsync("busy", "alice");
        Assert.Equal(RefusalKind.Conflict, (await releases.PreviewUpgradeAsync(Alice, "busy", null)).Refusal?.Kind);
    }

    /// <summary>What helm keeps for an install: the store keys, the generated credentials and the chart values.</summary>
    private static JsonObject Installed() => JsonNode.Parse("""
        {"store":{"name":"acme","host":"acme.localhost","url":"http://acme.localhost:8080"},
         "credentials":{"adminEmail":"admin@acme.localhost","adminPassword":"pw-SECRET-1","databasePassword":"pw-SECRET-2"},
         "image":{"tag":"6.8.3-php8.3-apache"},"setup":{"storeTitle":"Shop","adminUser":"admin"},"ingress":{"className":"traefik"}}
        """)!.AsObject();

    /// <summary>helm answering from memory, counting its calls.</summary>
    private sealed class CountingHelm(StoreProvisioningOptions options)
        : HelmCli(new CliRunner(TimeSpan.FromSeconds(1), NullLogger<CliRunner>.Instance), options)
    {
        public IReadOnlyList<HelmRevision> History { get; set; } = [];

        public Dictionary<int, JsonObject> Values { get; } = [];

        public int HistoryCalls { get; private set; }

        public int ValuesCalls { get; private set; }

        public override Task<IReadOnlyList<HelmRevision>> HistoryAsync(string release, string ns, CancellationToken cancellationToken)
        {
            HistoryCalls++;
            return Task.FromResult(History);
        }

        public override Task<JsonObject?> GetValuesAsync(string release, string ns, int revision, CancellationToken cancellationToken)
        {
            ValuesCalls++;
            return Task.FromResult(Values.TryGetValue(revision, out var v) ? (JsonObject?)v.DeepClone().AsObject() : null);
        }
    }
}
