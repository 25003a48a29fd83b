using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// A store as the API shows it. Deliberately a separate shape from the row: no fencing tokens, no arguments.
/// <see cref="Actions"/> lists what an operator may ask of it now, from the transition table
/// (<see cref="LifecycleTransitions.ActionsFor"/>), so clients never restate the rules. <see cref="Progress"/> is the
/// step of the operation in flight (null when none runs), from the orchestration's durable custom status.
/// </summary>
public sealed record StoreResponse(
    string Id,
    string Name,
    string UserId,
    string Engine,
    string Status,
    string? Operation,
    string Namespace,
    string Url,
    int? Revision,
    string? Error,
    string CreatedAt,
    string UpdatedAt,
    IReadOnlyList<string> Actions,
    ProgressResponse? Progress = null)
{
    public static StoreResponse From(Store store, StoreProvisioningOptions options, OperationProgress? progress = null) => new(
        store.Id,
        store.Name,
        store.UserId,
        store.Engine.Name(),
        store.Status.Name(),
        store.Operation?.Name(),
        store.Namespace,
        options.UrlFor(store.Name),
        store.Revision,
        store.Error,
        Wire.Timestamp(store.CreatedAt),
        Wire.Timestamp(store.UpdatedAt),
        LifecycleTransitions.ActionsFor(store.Status, store.Revision),
        progress is null ? null : new ProgressResponse(progress.Step, progress.Index, progress.Of, Wire.Timestamp(new DateTimeOffset(DateTime.SpecifyKind(progress.StartedAt, DateTimeKind.Utc)))));
}

/// <summary>The step of a store's running operation: {"step": "helm upgrade", "index": 4, "of": 4, "startedAt": …}.</summary>
public sealed record ProgressResponse(string Step, int Index, int Of, string StartedAt);

/// <summary>
/// One row of GET /api/stores/{name}/revisions (helm history, newest first). RollbackTarget marks the revision a rollback
/// without a revision goes to (<see cref="Lifecycle.RollbackTarget"/>), so clients show it instead of restating the rule.
/// </summary>
public sealed record RevisionResponse(int Revision, string? Chart, string? AppVersion, string Status, string? Description, string? UpdatedAt, bool RollbackTarget)
{
    public static List<RevisionResponse> ListFrom(IReadOnlyList<HelmRevision> history)
    {
        var target = Lifecycle.RollbackTarget.Choose(history, requested: null).Revision;
        return [.. history.Select(r => new RevisionResponse(
            r.Revision, r.Chart, r.AppVersion, r.Status, r.Description, r.Updated is { } updated ? Wire.Timestamp(updated) : null, r.Revision == target))];
    }
}

/// <summary>GET /api/stores/{name}/revisions/{revision}/values: tenant-visible values only.</summary>
public sealed record RevisionValuesResponse(int Revision, System.Text.Json.Nodes.JsonObject Values);

/// <summary>POST /api/stores/{name}/upgrade/preview: the deployed revision's values and the upgrade's, tenant-visible only.</summary>
public sealed record UpgradePreviewResponse(int? FromRevision, System.Text.Json.Nodes.JsonObject Current, System.Text.Json.Nodes.JsonObject Proposed);

/// <summary>
/// One audit row as the API shows it: userId is the store's owner, actor who made the request ("system" for the control
/// plane's own steps), traceId the W3C trace id of the operation that wrote it (null when it ran outside a trace).
/// </summary>
public sealed record ActivityResponse(long Id, string Action, string StoreName, string? UserId, string? Actor, string Timestamp, string? Detail, string? TraceId)
{
    public static ActivityResponse From(ActivityEntry entry) =>
        new(entry.Id, entry.Action, entry.StoreName, entry.UserId, entry.Actor, Wire.Timestamp(entry.Timestamp), entry.Detail, entry.TraceId);
}

/// <summary>GET /api/stores/metrics.</summary>
public sealed record MetricsResponse(
    int ActiveStores,
    int Provisioning,
    int Failed,
    int Upgrades,
    int Rollbacks,
    int Retries,
    int Deleting,
    int TotalStores,
    int Created,
    int Deletes,
    double? AverageInstallSeconds,
    IReadOnlyDictionary<string, int> ByStatus)
{
    public static MetricsResponse From(StoreMetrics metrics)
    {
        int Count(StoreStatus status) => metrics.ByStatus.TryGetValue(status, out var n) ? n : 0;
        return new MetricsResponse(
            ActiveStores: Count(StoreStatus.Ready),
            Provisioning: Count(StoreStatus.New) + Count(StoreStatus.Provisioning),
            Failed: Count(StoreStatus.Failed),
            Upgrades: metrics.Requests(AuditActions.UpgradeRequested),
            Rollbacks: metrics.Requests(AuditActions.RollbackRequested),
            Retries: metrics.Requests(AuditActions.RetryRequested),
            Deleting: Count(StoreStatus.Deleting),
            TotalStores: metrics.ByStatus.Values.Sum(),
            Created: metrics.Requests(AuditActions.CreateRequested),
            Deletes: metrics.Requests(AuditActions.DeleteRequested),
            AverageInstallSeconds: metrics.AverageInstallSeconds is { } s ? Math.Round(s, 1) : null,
            ByStatus: Enum.GetValues<StoreStatus>().ToDictionary(s => s.Name(), Count));
    }
}
