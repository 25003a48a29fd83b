using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoreProvisioning.Catalog;
using StoreProvisioning.Cluster;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Application;

/// <summary>One revision's tenant-visible values.</summary>
public sealed record RevisionValues(int Revision, JsonObject Values);

/// <summary>
/// What an upgrade would change: the tenant-visible values of the deployed revision (none, and no revision, when the
/// release has no deployed revision) and those the upgrade would apply.
/// </summary>
public sealed record UpgradePreview(int? FromRevision, JsonObject Current, JsonObject Proposed);

/// <summary>
/// A store's Helm release as its owner may see it, read from the cluster: the revision history (cached for
/// <see cref="HistoryCacheTime"/>), one revision's values and the preview of an upgrade, all filtered by the tenant
/// boundary (<see cref="UpgradeValuesPolicy.TenantVisible"/>): the store's credentials never leave here. Who may see
/// a store is <see cref="StoreService"/>'s rule (another user's store is "not found"). Changes nothing; helm failures
/// surface as <see cref="CliCommandException"/>.
/// </summary>
public class StoreReleases(StoreService stores, HelmCli helm, StoreCatalog catalog, TimeProvider clock)
{
    /// <summary>How long a store's `helm history` is reused. A new revision, status or operation on the row reads it afresh.</summary>
    public static readonly TimeSpan HistoryCacheTime = TimeSpan.FromSeconds(10);

    /// <summary>Above this many cached stores, expired entries are dropped when one is added.</summary>
    private const int PruneAbove = 512;

    private readonly ConcurrentDictionary<string, CachedHistory> histories = new(StringComparer.Ordinal);

    /// <summary>The release's revisions, newest first; empty when the store has no release (yet, or any more).</summary>
    public async Task<ServiceResult<IReadOnlyList<HelmRevision>>> RevisionsAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        var found = await stores.GetAsync(caller, name, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return ServiceResult<IReadOnlyList<HelmRevision>>.Refuse(found.Refusal!);
        }

        var history = await HistoryAsync(found.Value!, cancellationToken).ConfigureAwait(false);
        return ServiceResult<IReadOnlyList<HelmRevision>>.Ok([.. history.Reverse()]);
    }

    /// <summary>The tenant-visible values of one revision; not found when the release has no such revision.</summary>
    public async Task<ServiceResult<RevisionValues>> ValuesAsync(Caller caller, string name, int revision, CancellationToken cancellationToken = default)
    {
        var found = await stores.GetAsync(caller, name, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return ServiceResult<RevisionValues>.Refuse(found.Refusal!);
        }

        var store = found.Value!;
        var values = store.Status == StoreStatus.New ? null : await helm.GetValuesAsync(store.Release, store.Namespace, revision, cancellationToken).ConfigureAwait(false);
        return values is null
            ? ServiceResult<RevisionValues>.Refuse(new Refusal(
                RefusalKind.NotFound,
                "Revision not found",
                $"Store '{name}' has no revision {revision}{(store.Status == StoreStatus.New ? " (it is not installed yet)" : string.Empty)}. GET /api/stores/{name}/revisions lists its revisions."))
            : ServiceResult<RevisionValues>.Ok(new RevisionValues(revision, UpgradeValuesPolicy.TenantVisible(store.Engine, catalog, values)));
    }

    /// <summary>
    /// What POST …/upgrade with these values would apply, changing nothing: checked exactly as the upgrade is
    /// (<see cref="StoreService.CheckUpgradeAsync"/> and the transition table), the proposed values built by the same
    /// merge the upgrade step runs (<see cref="ChartOverrides.Build"/>), both sides tenant-visible only.
    /// </summary>
    public async Task<ServiceResult<UpgradePreview>> PreviewUpgradeAsync(Caller caller, string name, string? valuesJson, CancellationToken cancellationToken = default)
    {
        var checkedUpgrade = await stores.CheckUpgradeAsync(caller, name, valuesJson, cancellationToken).ConfigureAwait(false);
        if (!checkedUpgrade.IsOk)
        {
            return ServiceResult<UpgradePreview>.Refuse(checkedUpgrade.Refusal!);
        }

        var store = checkedUpgrade.Value!.Store;
        if (LifecycleTransitions.Decide(store.Status, LifecycleCommand.Upgrade).Refusal is { } busy)
        {
            return ServiceResult<UpgradePreview>.Refuse(busy);
        }

        JsonObject? proposed;
        string? notInCatalog;
        using (var accepted = checkedUpgrade.Value.ValuesJson is { } json ? JsonDocument.Parse(json) : null)
        {
            (proposed, notInCatalog) = ChartOverrides.Build(store.Engine, catalog, store.Plan, accepted?.RootElement);
        }

        if (notInCatalog is not null)
        {
            return ServiceResult<UpgradePreview>.Refuse(Refusal.Conflict($"The upgrade would be refused, nothing applied: {notInCatalog}."));
        }

        var history = await HistoryAsync(store, cancellationToken).ConfigureAwait(false);
        var deployed = history.LastOrDefault(r => r.Status == HelmStatuses.Deployed)?.Revision;
        var current = deployed is { } revision
            ? await helm.GetValuesAsync(store.Release, store.Namespace, revision, cancellationToken).ConfigureAwait(false) ?? []
            : [];
        return ServiceResult<UpgradePreview>.Ok(new UpgradePreview(
            deployed,
            UpgradeValuesPolicy.TenantVisible(store.Engine, catalog, current),
            UpgradeValuesPolicy.TenantVisible(store.Engine, catalog, proposed!)));
    }

    /// <summary>
    /// `helm history`, oldest first, reused for <see cref="HistoryCacheTime"/> while the row's revision, status and
    /// operation stay the same. A NEW store has no release yet: no helm call.
    /// </summary>
    private async Task<IReadOnlyList<HelmRevision>> HistoryAsync(Store store, CancellationToken cancellationToken)
    {
        if (store.Status == StoreStatus.New)
        {
            return [];
        }

        var key = $"{store.Id}|{store.Revision}|{store.Status.Name()}|{store.OperationId}";
        var now = clock.GetUtcNow();
        if (histories.TryGetValue(store.Name, out var cached) && cached.Key == key && cached.Expires > now)
        {
            return cached.Revisions;
        }

        var revisions = await helm.HistoryAsync(store.Release, store.Namespace, cancellationToken).ConfigureAwait(false);
        if (histories.Count > PruneAbove)
        {
            foreach (var (storeName, entry) in histories)
            {
                if (entry.Expires <= now)
                {
                    histories.TryRemove(KeyValuePair.Create(storeName, entry));
                }
            }
        }

        histories[store.Name] = new CachedHistory(key, now + HistoryCacheTime, revisions);
        return revisions;
    }

    private sealed record CachedHistory(string Key, DateTimeOffset Expires, IReadOnlyList<HelmRevision> Revisions);
}
