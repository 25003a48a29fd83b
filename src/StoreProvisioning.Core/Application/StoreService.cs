using System.Text.Json;
using StoreProvisioning.Catalog;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Application;

/// <summary>
/// What the API can ask of the control plane. Each call validates, applies the guardrails and the transition table
/// through one conditional write, and returns the store whose operation the caller then starts. Every call is made
/// for a verified <see cref="Caller"/>: a user sees and acts only on their own stores (another user's store is "not
/// found", so its existence is not revealed); operators and admins on all.
/// </summary>
public class StoreService(StoreRepository repository, StoreProvisioningOptions options, StoreCatalog catalog)
{
    /// <summary>The problem type of the MAX_STORES_TOTAL refusal, distinct from the per-user limit's.</summary>
    public const string TotalLimitProblemType = "urn:store-provisioning:problem:total-store-limit";

    /// <summary>The operator's catalog: what GET /api/catalog lists and upgrades choose from.</summary>
    public StoreCatalog Catalog => catalog;

    public async Task<ServiceResult<Store>> CreateAsync(Caller caller, CreateStoreRequest request, CancellationToken cancellationToken = default)
    {
        // A user creates only for themself; operators and admins name the owner (the validator requires it of them).
        if (!caller.SeesAllStores && request.UserId is { } other && other != caller.UserId)
        {
            return ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Forbidden,
                "Cannot create for another user",
                $"You are signed in as '{caller.UserId}' and can create stores only for yourself; leave userId out or set it to '{caller.UserId}'."));
        }

        var owner = request.UserId ?? caller.UserId;
        var result = await repository.CreateAsync(
            request.StoreName, owner, request.Engine, options.MaxStoresPerUser, cancellationToken, options.MaxStoresTotal, caller.UserId, catalog.DefaultPlan).ConfigureAwait(false);
        return result.Outcome switch
        {
            CreateOutcome.Created => ServiceResult<Store>.Ok(result.Store!),
            CreateOutcome.DuplicateName => ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Invalid,
                "Store name already taken",
                $"A store named '{request.StoreName}' already exists. Store names are unique; choose another name.",
                new Dictionary<string, string[]> { ["storeName"] = [$"'{request.StoreName}' is already taken."] })),
            CreateOutcome.TotalLimitReached => ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Forbidden,
                "Control plane is full",
                $"{options.MaxStoresTotal} stores exist, the most this control plane runs (MAX_STORES_TOTAL). Delete a store or ask an operator to raise the limit.")
                { ProblemType = TotalLimitProblemType }),
            _ => ServiceResult<Store>.Refuse(new Refusal(
                RefusalKind.Forbidden,
                "Store limit reached",
                $"User '{owner}' already has {result.StoresOwned} stores, the most allowed (MAX_STORES_PER_USER = {options.MaxStoresPerUser}). Delete one first.")),
        };
    }

    /// <summary>
    /// Upgrade with values checked against the tenant boundary (<see cref="CheckUpgradeAsync"/>) before anything is
    /// written or run.
    /// </summary>
    public async Task<ServiceResult<Store>> UpgradeAsync(Caller caller, string name, string? valuesJson, CancellationToken cancellationToken = default)
    {
        var checkedUpgrade = await CheckUpgradeAsync(caller, name, valuesJson, cancellationToken).ConfigureAwait(false);
        if (!checkedUpgrade.IsOk)
        {
            return ServiceResult<Store>.Refuse(checkedUpgrade.Refusal!);
        }

        var plan = checkedUpgrade.Value!.Plan;
        var args = JsonSerializer.Serialize(new OperationArgs(valuesJson is null ? null : JsonDocument.Parse(valuesJson).RootElement, null), JsonSerializerOptions.Web);
        return Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Upgrade, StoreOperation.Upgrade, args,
            new ActivityDraft(AuditActions.UpgradeRequested, valuesJson is null ? "re-apply chart" : plan is null ? "with new settings" : $"with new settings, plan {plan}") { Actor = caller.UserId },
            cancellationToken, plan).ConfigureAwait(false));
    }

    /// <summary>
    /// What an upgrade with these values would be, checked as the upgrade checks it and changing nothing: the store
    /// (not found for a caller who may not see it), and the values the tenant boundary (<see cref="UpgradeValuesPolicy"/>,
    /// for the store's engine and the caller's authority: operators and admins may set operator keys) accepted.
    /// Both <see cref="UpgradeAsync"/> and the upgrade preview go through here.
    /// </summary>
    public async Task<ServiceResult<UpgradeCheck>> CheckUpgradeAsync(Caller caller, string name, string? valuesJson, CancellationToken cancellationToken = default)
    {
        var store = await repository.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (store is null || !caller.MayAccess(store.UserId))
        {
            return ServiceResult<UpgradeCheck>.Refuse(Refusal.NotFound(name));
        }

        if (valuesJson is null)
        {
            return ServiceResult<UpgradeCheck>.Ok(new UpgradeCheck(store, null, null));
        }

        var authority = caller.SeesAllStores ? ValuesAuthority.Operator : ValuesAuthority.Tenant;
        using var values = JsonDocument.Parse(valuesJson);
        var checkedValues = UpgradeValuesPolicy.Check(store.Engine, values.RootElement, authority, catalog, store.Plan);
        if (!checkedValues.IsValid)
        {
            return ServiceResult<UpgradeCheck>.Refuse(new Refusal(
                RefusalKind.Invalid,
                "Value not allowed",
                $"These values cannot be set on store '{name}'. GET /api/catalog lists the plans and versions; 'errors' names each refused key.",
                checkedValues.Errors));
        }

        return ServiceResult<UpgradeCheck>.Ok(new UpgradeCheck(store, checkedValues.Value!.Json, checkedValues.Value.Plan));
    }

    public async Task<ServiceResult<Store>> RollbackAsync(Caller caller, string name, int? revision, CancellationToken cancellationToken = default)
    {
        if (await HiddenAsync(caller, name, cancellationToken).ConfigureAwait(false) is { } hidden)
        {
            return hidden;
        }

        var args = JsonSerializer.Serialize(new OperationArgs(null, revision), JsonSerializerOptions.Web);
        return Map(await repository.BeginRollbackAsync(
            name, revision, args,
            new ActivityDraft(AuditActions.RollbackRequested, revision is null ? "to the previous good revision" : $"to revision {revision}") { Actor = caller.UserId },
            cancellationToken).ConfigureAwait(false));
    }

    public async Task<ServiceResult<Store>> RetryAsync(Caller caller, string name, CancellationToken cancellationToken = default) =>
        await HiddenAsync(caller, name, cancellationToken).ConfigureAwait(false) ?? Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Retry, StoreOperation.Retry, args: null,
            new ActivityDraft(AuditActions.RetryRequested, "re-run the failed operation") { Actor = caller.UserId },
            cancellationToken).ConfigureAwait(false));

    public async Task<ServiceResult<Store>> DeleteAsync(Caller caller, string name, CancellationToken cancellationToken = default) =>
        await HiddenAsync(caller, name, cancellationToken).ConfigureAwait(false) ?? Map(await repository.BeginOperationAsync(
            name, LifecycleCommand.Delete, StoreOperation.Delete, args: null,
            new ActivityDraft(AuditActions.DeleteRequested) { Actor = caller.UserId },
            cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Cancels the operation in flight: the store becomes FAILED "… cancelled by {actor}" (retryable) with an audit row,
    /// in one conditional write fenced by the operation being cancelled. The caller then stops that operation's
    /// orchestration and CLI processes (<see cref="Cancellation.CancelledOperationId"/> names them).
    /// </summary>
    public async Task<ServiceResult<Cancellation>> CancelAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        var actor = caller.UserId;
        var store = await repository.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (store is null || !caller.MayAccess(store.UserId))
        {
            return ServiceResult<Cancellation>.Refuse(Refusal.NotFound(name));
        }

        var operation = (store.Operation ?? StoreOperation.Install).Name();
        var change = store.OperationId is null
            ? null
            : await repository.CancelAsync(
                name,
                store.OperationId,
                $"The {operation} was cancelled by {actor}. Retry it to run it again{(store.Status == StoreStatus.Deleting ? ", or delete the store again" : string.Empty)}.",
                new ActivityDraft(AuditActions.OperationCancelled, $"{operation} cancelled by {actor}") { Actor = actor },
                cancellationToken).ConfigureAwait(false);
        if (change is { Outcome: ChangeOutcome.Applied })
        {
            return ServiceResult<Cancellation>.Ok(new Cancellation(change.Store!, store.OperationId!, store.Operation ?? StoreOperation.Install));
        }

        return ServiceResult<Cancellation>.Refuse(
            change?.Refusal ?? LifecycleTransitions.Decide(store.Status, LifecycleCommand.Cancel).Refusal ?? Refusal.Conflict($"The store is {store.Status.Name()}; no operation is in flight to cancel."));
    }

    public async Task<ServiceResult<Store>> GetAsync(Caller caller, string name, CancellationToken cancellationToken = default) =>
        await repository.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } store && caller.MayAccess(store.UserId)
            ? ServiceResult<Store>.Ok(store)
            : ServiceResult<Store>.Refuse(Refusal.NotFound(name));

    /// <summary>"Not found" when the store does not exist or belongs to someone this caller may not see; else null.</summary>
    private async Task<ServiceResult<Store>?> HiddenAsync(Caller caller, string name, CancellationToken cancellationToken) =>
        caller.SeesAllStores || (await repository.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } store && caller.MayAccess(store.UserId))
            ? null
            : ServiceResult<Store>.Refuse(Refusal.NotFound(name));

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

/// <summary>An upgrade that passed the checks: the store as read, the accepted values JSON (null: re-apply) and the plan they ask for.</summary>
public sealed record UpgradeCheck(Store Store, string? ValuesJson, string? Plan);

/// <summary>A cancelled operation: the store as it is now (FAILED) and the operation that was stopped.</summary>
public sealed record Cancellation(Store Store, string CancelledOperationId, StoreOperation CancelledOperation);

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
