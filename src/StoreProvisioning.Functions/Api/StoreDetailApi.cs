using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Identity;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// A store's Helm release as the store detail view shows it: the revision history, one revision's values and the
/// preview of an upgrade. Adapters over <see cref="StoreReleases"/> (which decides what a caller may see and filters
/// every value through the tenant boundary); nothing here changes a store. Helm failing or missing is a 503 problem.
/// </summary>
public sealed class StoreDetailApi(StoreReleases releases, ILogger<StoreDetailApi> logger)
{
    [Function("ListStoreRevisions")]
    public Task<IActionResult> Revisions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores/{name}/revisions")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) => Guard(name, async () =>
    {
        var result = await releases.RevisionsAsync(request.Caller(), name, cancellationToken);
        return result.IsOk ? ApiJson.Ok(RevisionResponse.ListFrom(result.Value!)) : Problems.From(result.Refusal!);
    });

    [Function("GetStoreRevisionValues")]
    public Task<IActionResult> Values(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stores/{name}/revisions/{revision}/values")] HttpRequest request,
        string name,
        string revision,
        CancellationToken cancellationToken) => Guard(name, async () =>
    {
        var number = RequestValidator.Revision(revision);
        if (!number.IsValid)
        {
            return Problems.Validation(number.Errors);
        }

        var result = await releases.ValuesAsync(request.Caller(), name, number.Value, cancellationToken);
        return result.IsOk ? ApiJson.Ok(new RevisionValuesResponse(result.Value!.Revision, result.Value.Values)) : Problems.From(result.Refusal!);
    });

    /// <summary>The same body and checks as POST …/upgrade (<see cref="RequestValidator.Upgrade"/>, then the tenant boundary); changes nothing.</summary>
    [Function("PreviewStoreUpgrade")]
    public Task<IActionResult> PreviewUpgrade(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stores/{name}/upgrade/preview")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) => Guard(name, async () =>
    {
        var (values, refusal) = await StoresApi.ReadBodyAsync(request, RequestValidator.Upgrade, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await releases.PreviewUpgradeAsync(request.Caller(), name, values, cancellationToken);
        return result.IsOk
            ? ApiJson.Ok(new UpgradePreviewResponse(result.Value!.FromRevision, result.Value.Current, result.Value.Proposed))
            : Problems.From(result.Refusal!);
    });

    /// <summary>The store name in the URL first; helm that fails or cannot be run is 503 (the log has the command's error).</summary>
    private Task<IActionResult> Guard(string name, Func<Task<IActionResult>> handle) => StoresApi.Guarded(logger, async () =>
    {
        if (StoresApi.InvalidName(name) is { } refusal)
        {
            return refusal;
        }

        try
        {
            return await handle();
        }
        catch (CliCommandException ex)
        {
            logger.LogWarning("Could not read the release of store {Store}: {Error}", name, ex.Message);
            return Problems.Create(
                StatusCodes.Status503ServiceUnavailable,
                "Cluster unavailable",
                $"helm could not read the release of store '{name}' ({ex.Failure switch { CliFailure.NotStartable => "helm could not be started", CliFailure.TimedOut => "helm timed out", CliFailure.UnreadableOutput => "helm printed unreadable output", _ => "helm failed" }}). GET /api/health/details says what is wrong; try again later.");
        }
    });
}
