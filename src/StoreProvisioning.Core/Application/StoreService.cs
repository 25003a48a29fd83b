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
            CreateOutcome.DuplicateName => ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Invalid,
                "Store name already taken",
                $"A store named '{request.StoreName}' already exists. Store names are unique; choose another name.",
                new Dictionary<string, string[]> { ["storeName"] = [$"'{request.StoreName}' is already taken."] })),
            _ => ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Forbidden,
                "Store limit reached",
                $"User '{request.UserId}' already has {result.StoresOwned} stores, the most allowed (MAX_STORES_PER_USER = {options.MaxStoresPerUser}). Delete one first.")),
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
                return ServiceResult<Store>.Refuse(Refusal.NotFound(name));
            }

            using var values = JsonDocument.Parse(valuesJson);
            var checkedValues = UpgradeValuesPolicy.Check(store.Engine, values.RootElement, authority, catalog, store.Plan);
            if (!checkedValues.IsValid)
            {
                return ServiceResult<Store>.Refuse(new Refusal(
                    RefusalKind.Invalid,
                    "Value not allowed",
                    $"These values cannot be set on store '{name}'. GET /api/catalog lists the plans and versions; 'errors' names each refused key.",
                    checkedValues.Errors));
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
        var args = JsonSerializer.Serialize(new OperationArgs(null, revision), JsonSerializerOptions.Web);
        return Map(await repository.BeginRollbackAsync(
            name, revision, args,
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
        await repository.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } store ? ServiceResult<Store>.Ok(store) : ServiceResult<Store>.Refuse(Refusal.NotFound(name));

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

    private static ServiceResult<Store> Map(StoreChangeResult change) =>
        change.Applied ? ServiceResult<Store>.Ok(change.Store!) : ServiceResult<Store>.Refuse(change.Refusal!);
}

/// <summary>Non-secret arguments of an operation, kept on the store so a retry repeats them exactly.</summary>
public sealed record OperationArgs(JsonElement? Values, int? Revision)
{
    /// <summary>The arguments recorded as JSON on the store; null when there are none or they cannot be read.</summary>
    public static OperationArgs? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<OperationArgs>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
