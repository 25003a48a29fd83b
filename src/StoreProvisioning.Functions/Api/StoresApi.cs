using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Catalog;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Identity;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// The /api/stores endpoints. Each one is an adapter: read and validate the request, make one call to
/// <see cref="StoreService"/> (writes) or <see cref="StoreQueries"/> (reads), start the accepted operation's orchestration, map the result to HTTP.
/// Routes follow <see cref="FunctionRoutes"/>: under the Functions host the first function by name whose route
/// matches wins, so GET stores/{name} refuses the reserved words of stores/metrics and stores/activity.
/// </summary>
public sealed class StoresApi(
    StoreService stores,
    StoreQueries queries,
    OperationLauncher launcher,
    OperationCanceller canceller,
    OperationProgressReader progress,
    StoreProvisioningOptions options,
    ILogger<StoresApi> logger)
{
    [Function("CreateStore")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        var caller = request.Caller();
        var (create, refusal) = await ReadBodyAsync(request, body => RequestValidator.Create(body, userIdRequired: caller.SeesAllStores), cancellationToken);
        return refusal ?? await StartAsync(request, client, await stores.CreateAsync(caller, create!, cancellationToken), cancellationToken);
    });

    [Function("ListStores")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        var filter = RequestValidator.ListFilter(Query(request, "userId"), Query(request, "status"));
        if (!filter.IsValid)
        {
            return Problems.Validation(filter.Errors);
        }

        // A user sees only their own stores: asking for someone else's finds nothing (their existence is not revealed).
        var caller = request.Caller();
        if (caller.OwnerScope is { } owner && filter.Value.UserId is { } wanted && wanted != owner)
        {
            return ApiJson.Ok(Array.Empty<StoreResponse>());
        }

        var userId = caller.OwnerScope ?? filter.Value.UserId;
        var cursorFilter = $"{userId}\n{filter.Value.Status?.Name()}";
        var paging = RequestValidator.StorePage(Query(request, "limit"), Query(request, "cursor"), cursorFilter);
        if (!paging.IsValid)
        {
            return Problems.Validation(paging.Errors);
        }

        var page = await queries.ListPageAsync(userId, filter.Value.Status, paging.Value.Limit, paging.Value.After, cancellationToken);
        if (page.Next is { } next)
        {
            // RFC 8288: the body stays a plain array; the next page's address comes in the Link header.
            var query = QueryString.Create(request.Query
                .Where(q => q.Key is not ("cursor" or "limit"))
                .Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))
                .Append(KeyValuePair.Create("limit", (string?)paging.Value.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append(KeyValuePair.Create("cursor", (string?)next.Encode(cursorFilter))));
            request.HttpContext.Response.Headers.Link = $"<{request.PathBase}{request.Path}{query}>; rel=\"next\"";
        }

        // Progress only for stores with an operation in flight: a page of settled stores asks the task hub nothing.
        var steps = await progress.ReadAllAsync(client, page.Stores, cancellationToken);
        return ApiJson.Ok(page.Stores.Select(s => StoreResponse.From(s, options, steps.GetValueOrDefault(s.Name))).ToList());
    });

    [Function("GetStore")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores/" + FunctionRoutes.StoreName)] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        if (InvalidName(name) is { } refusal)
        {
            return refusal;
        }

        var result = await stores.GetAsync(request.Caller(), name, cancellationToken);
        return result.IsOk
            ? ApiJson.Ok(StoreResponse.From(result.Value!, options, await progress.ReadAsync(client, result.Value!, cancellationToken)))
            : Problems.From(result.Refusal!);
    });

    [Function("DeleteStore")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "stores/{name}")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Operation(request, name, client, RequestValidator.Empty, (_, ct) => stores.DeleteAsync(request.Caller(), name, ct), cancellationToken);

    [Function("UpgradeStore")]
    public Task<IActionResult> Upgrade(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores/{name}/upgrade")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Operation(request, name, client, RequestValidator.Upgrade, (values, ct) => stores.UpgradeAsync(request.Caller(), name, values, ct), cancellationToken);

    [Function("RollbackStore")]
    public Task<IActionResult> Rollback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores/{name}/rollback")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Operation(request, name, client, RequestValidator.Rollback, (revision, ct) => stores.RollbackAsync(request.Caller(), name, revision, ct), cancellationToken);

    [Function("RetryStore")]
    public Task<IActionResult> Retry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores/{name}/retry")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => Operation(request, name, client, RequestValidator.Empty, (_, ct) => stores.RetryAsync(request.Caller(), name, ct), cancellationToken);

    /// <summary>
    /// Stops the operation in flight: the store becomes FAILED "cancelled by …" (retryable), its orchestration is
    /// terminated and its helm/kubectl processes are stopped before the answer (200 with the store).
    /// </summary>
    [Function("CancelStore")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores/{name}/cancel")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) => ForStore(request, name, RequestValidator.Empty, async _ =>
    {
        var result = await stores.CancelAsync(request.Caller(), name, cancellationToken);
        if (!result.IsOk)
        {
            return Problems.From(result.Refusal!);
        }

        await canceller.StopAsync(client, result.Value!, CancellationToken.None);
        return ApiJson.Ok(StoreResponse.From(result.Value!.Store, options));
    }, cancellationToken);

    [Function("GetMetrics")]
    public Task<IActionResult> Metrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores/metrics")] HttpRequest request,
        CancellationToken cancellationToken) => Guard(async () =>
        ApiJson.Ok(MetricsResponse.From(await queries.MetricsAsync(cancellationToken, request.Caller().OwnerScope))));

    [Function("ListActivity")]
    public Task<IActionResult> Activity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores/activity")] HttpRequest request,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        var query = RequestValidator.ActivityQuery(Query(request, "limit"), Query(request, "store"));
        if (!query.IsValid)
        {
            return Problems.Validation(query.Errors);
        }

        var entries = await queries.ListActivityAsync(query.Value.Limit, query.Value.Store, cancellationToken, request.Caller().OwnerScope);
        return ApiJson.Ok(entries.Select(ActivityResponse.From).ToList());
    });

    /// <summary>The shape shared by the four operations on an existing store: validate name and body, ask, start.</summary>
    private Task<IActionResult> Operation<T>(
        HttpRequest request,
        string name,
        DurableTaskClient client,
        Func<System.Text.Json.JsonElement?, Validated<T>> validate,
        Func<T, CancellationToken, Task<ServiceResult<Store>>> ask,
        CancellationToken cancellationToken) =>
        ForStore(request, name, validate, async value => await StartAsync(request, client, await ask(value, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>Every write on an existing store: the name in the URL and the body are checked before <paramref name="handle"/> runs.</summary>
    private Task<IActionResult> ForStore<T>(
        HttpRequest request,
        string name,
        Func<System.Text.Json.JsonElement?, Validated<T>> validate,
        Func<T, Task<IActionResult>> handle,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        if (InvalidName(name) is { } nameRefusal)
        {
            return nameRefusal;
        }

        var (value, refusal) = await ReadBodyAsync(request, validate, cancellationToken);
        return refusal ?? await handle(value!);
    });

    /// <summary>Reads the JSON body and validates it: the typed request, or the refusal to answer with.</summary>
    internal static async Task<(T? Value, IActionResult? Refusal)> ReadBodyAsync<T>(
        HttpRequest request, Func<System.Text.Json.JsonElement?, Validated<T>> validate, CancellationToken cancellationToken)
    {
        var (body, refusal) = await RequestBody.ReadAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return (default, refusal);
        }

        var validated = validate(body);
        return validated.IsValid ? (validated.Value, null) : (default, Problems.Validation(validated.Errors));
    }

    private async Task<IActionResult> StartAsync(HttpRequest request, DurableTaskClient client, ServiceResult<Store> result, CancellationToken cancellationToken)
    {
        if (!result.IsOk)
        {
            return Problems.From(result.Refusal!);
        }

        var store = result.Value!;
        if (!await launcher.StartAsync(client, store, cancellationToken))
        {
            return Problems.Create(
                StatusCodes.Status503ServiceUnavailable,
                "Operation could not be started",
                store.Status == StoreStatus.Deleting
                    ? $"The delete was accepted but its orchestration could not be queued; store '{store.Name}' stays DELETING and the reconciler starts the delete again once the durable task hub is reachable."
                    : $"The request was accepted but its orchestration could not be queued; store '{store.Name}' is marked FAILED with the reason. Retry it once the durable task hub is reachable.");
        }

        return ApiJson.Accepted(request, $"/api/stores/{store.Name}", StoreResponse.From(store, options));
    }

    internal static IActionResult? InvalidName(string name) =>
        StoreRules.CheckName(name) is { } problem
            ? Problems.Create(StatusCodes.Status400BadRequest, "Invalid store name", problem.Replace("storeName", "The store name in the URL", StringComparison.Ordinal))
            : null;

    internal static string? Query(HttpRequest request, string key) =>
        request.Query.TryGetValue(key, out var values) ? values.ToString() : null;

    /// <summary>Unexpected faults become a 500/503 problem with no internals; the log has the details.</summary>
    private Task<IActionResult> Guard(Func<Task<IActionResult>> handle) => Guarded(logger, handle);

    /// <summary>
    /// The guard of every /api/stores function: a database fault is 503, anything unexpected 500, both problem+json
    /// with no internals (the log has the details).
    /// </summary>
    internal static async Task<IActionResult> Guarded(ILogger logger, Func<Task<IActionResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogError(ex, "Database error while handling a request");
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Database unavailable", "The store database could not be used; see GET /api/health and the logs, then try again.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Unexpected error while handling a request");
            return Problems.Create(StatusCodes.Status500InternalServerError, "Unexpected error", "The control plane hit an unexpected error; nothing was changed that the activity log does not show. See the logs.");
        }
    }
}
