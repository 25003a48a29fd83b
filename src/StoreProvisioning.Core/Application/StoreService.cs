using System.Text.Json;
using StoreProvisioning.Catalog;
using StoreProvisioning.Configuration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Application;

/// <summary>
/// What the API can ask of the control plane. Each call validates, applies the guardrails and the transition table
/// through one conditional write, and returns the store whose operation the caller then starts.
/// </summary>
public class StoreService(StoreRepository repository, StoreProvisioningOptions options, StoreCatalog catalog)
{
    /// <summary>The operator's catalog: what GET /api/catalog lists and upgrades choose from.</summary>
    public StoreCatalog Catalog => catalog;

    public async Task<ServiceResult<Store>> CreateAsync(CreateStoreRequest request, CancellationToken cancellationToken = default)
    {
        var result = await repository.CreateAsync(request.StoreName, request.UserId, request.Engine, catalog.DefaultPlan, options.MaxStoresPerUser, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            CreateOutcome.Created => ServiceResult<Store>.Ok(result.Store!),
            CreateOutcome.DuplicateName => ServiceResult<Store>.Refuse(
                ResultKind.Invalid,
                "Store name already taken",
                $"A store named '{request.StoreName}' already exists. Store names are unique; choose another name.",
                new Dictionary<string, string[]> { ["storeName"] = [$"'{request.StoreName}' is already taken."] }),
            _ => ServiceResult<Store>.Refuse(
                ResultKind.Forbidden,
                "Store limit reached",
                $"User '{request.UserId}' already has {result.StoresOwned} stores, the most allowed (MAX_STORES_PER_USER = {options.MaxStoresPerUser}). Delete one first."),
        };
    }

    /// <summary>
    /// Upgrade with values checked against the tenant boundary (<see cref="UpgradeValuesPolicy"/>) for the store's
    /// engine and the caller's <paramref name="authority"/>, before anything is written or run.
    /// </summary>
    public async Task<ServiceResult<Store>> UpgradeAsync(string name, string? valuesJson, ValuesAuthority authority, CancellationToken cancellationToken = default)
    {
        string? plan = null;
        if (valuesJson is not null)
        {
            var store = await repository.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return NotFound(name);
            }

            using var values = JsonDocument.Parse(valuesJson);
            var checkedValues = UpgradeValuesPolicy.Check(store.Engine, values.RootElement, authority, catalog, store.Plan);
            if (!checkedValues.IsValid)
            {
                return ServiceResult<Store>.Refuse(
                    ResultKind.Invalid,
                    "Value not allowed",
                    $"These values cannot be set on store '{name}'. GET /api/catalog lists the plans and versions; 'errors' names each refused key.",
                    checkedValues.Errors);
            }

            plan = checkedValues.Value!.Plan;
        }

        var args = JsonSerializer.Serialize(new OperationArgs(valuesJson is null ? null : JsonDocument.Parse(valuesJson).RootElement, null), JsonSerializerOptions.Web);
        return Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Upgrade, StoreOperation.Upgrade, args,
            new ActivityDraft(AuditActions.UpgradeRequested, valuesJson is null ? "re-apply chart" : plan is null ? "with new settings" : $"with new settings, plan {plan}"),
            cancellationToken, plan).ConfigureAwait(false));
    }

    public async Task<ServiceResult<Store>> RollbackAsync(string name, int? revision, CancellationToken cancellationToken = default)
    {
        var store = await repository.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return NotFound(name);
        }

        // The recorded revision is what helm last reported; a precise target is chosen from helm history later.
        if (revision is null && store.Revision is null or <= 1)
        {
            return ServiceResult<Store>.Refuse(
                ResultKind.Invalid,
                "Nothing to roll back to",
                $"Store '{name}' is at revision {store.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; there is no earlier revision. Upgrade it first.");
        }

        if (revision is { } wanted && store.Revision is { } current && wanted >= current)
        {
            return ServiceResult<Store>.Refuse(
                ResultKind.Invalid,
                "Not an earlier revision",
                $"Revision {wanted} is not earlier than the current revision {current}.",
                new Dictionary<string, string[]> { ["revision"] = [$"must be less than {current}."] });
        }

        var args = JsonSerializer.Serialize(new OperationArgs(null, revision), JsonSerializerOptions.Web);
        return Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Rollback, StoreOperation.Rollback, args,
            new ActivityDraft(AuditActions.RollbackRequested, revision is null ? "to the previous good revision" : $"to revision {revision}"),
            cancellationToken).ConfigureAwait(false));
    }

    public async Task<ServiceResult<Store>> RetryAsync(string name, CancellationToken cancellationToken = default) =>
        Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Retry, StoreOperation.Retry, args: null,
            new ActivityDraft(AuditActions.RetryRequested, "re-run the failed operation"),
            cancellationToken).ConfigureAwait(false));

    public async Task<ServiceResult<Store>> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Delete, StoreOperation.Delete, args: null,
            new ActivityDraft(AuditActions.DeleteRequested),
            cancellationToken).ConfigureAwait(false));

    public async Task<ServiceResult<Store>> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await repository.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } store ? ServiceResult<Store>.Ok(store) : NotFound(name);

    public Task<IReadOnlyList<Store>> ListAsync(string? userId, StoreStatus? status, CancellationToken cancellationToken = default) =>
        repository.ListAsync(userId, status, cancellationToken);

    public Task<IReadOnlyList<ActivityEntry>> ActivityAsync(int limit, string? store, CancellationToken cancellationToken = default) =>
        repository.ListActivityAsync(limit, store, cancellationToken);

    public Task<StoreMetrics> MetricsAsync(CancellationToken cancellationToken = default) => repository.MetricsAsync(cancellationToken);

    /// <summary>
    /// When the orchestration of an accepted operation could not even be scheduled, say so: an install, upgrade,
    /// rollback or retry becomes FAILED (retryable); a delete stays DELETING and the reconciler starts it again.
    /// </summary>
    public async Task MarkNotStartedAsync(Store store, string reason, CancellationToken cancellationToken = default)
    {
        if (store.Status == StoreStatus.Deleting)
        {
            await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.OperationNotStarted, reason), cancellationToken).ConfigureAwait(false);
            return;
        }

        await repository.FailAsync(
            store.Name, store.OperationId, $"The {store.Operation?.Name()} could not be started: {reason}. Retry it.",
            new ActivityDraft(AuditActions.OperationNotStarted, reason), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ServiceResult<Store> NotFound(string name) =>
        ServiceResult<Store>.Refuse(ResultKind.NotFound, "Store not found", $"There is no store named '{name}'. GET /api/stores lists the stores.");

    private static ServiceResult<Store> Map(StoreChangeResult change) => change.Outcome switch
    {
        ChangeOutcome.Applied => ServiceResult<Store>.Ok(change.Store!),
        ChangeOutcome.NotFound => ServiceResult<Store>.Refuse(ResultKind.NotFound, "Store not found", "There is no store of that name. GET /api/stores lists the stores."),
        _ => ServiceResult<Store>.Refuse(
            change.Refusal == RefusalKind.Invalid ? ResultKind.Invalid : ResultKind.Conflict,
            change.Refusal == RefusalKind.Invalid ? "Operation not applicable" : "Store is busy or in the wrong state",
            change.Reason!),
    };
}

/// <summary>Non-secret arguments of an operation, kept on the store so a retry repeats them exactly.</summary>
public sealed record OperationArgs(JsonElement? Values, int? Revision);
