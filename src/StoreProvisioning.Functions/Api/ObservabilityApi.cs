using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Identity;
using StoreProvisioning.Functions.Observability;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// GET /api/metrics (Prometheus text, for operators and admins or a scraper holding METRICS_SCRAPE_KEY) and
/// GET /api/operations/durations (p50/p95 per operation and the cluster slot queue, for the dashboard). Adapters:
/// the series are defined in <see cref="ControlPlaneMetrics"/>, the durations computed by <see cref="ObservabilityQueries"/>.
/// </summary>
public sealed class ObservabilityApi(ControlPlaneMetrics metrics, ObservabilityQueries queries, StoreProvisioningOptions options, ILogger<ObservabilityApi> logger)
{
    public sealed record DurationEntry(string Operation, int Count, double P50Seconds, double P95Seconds);

    public sealed record QueueEntry(int Waiting, int InUse, int Capacity);

    public sealed record DurationsResponse(string Since, IReadOnlyList<DurationEntry> Operations, QueueEntry Queue);

    [Authorize(Roles = Roles.OperatorOrAdmin)]
    [AllowScrapeKey]
    [Function("GetPrometheusMetrics")]
    public Task<IActionResult> Metrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics")] HttpRequest request,
        CancellationToken cancellationToken) => Guard(async () =>
        new ContentResult
        {
            Content = System.Text.Encoding.UTF8.GetString(await metrics.ScrapeAsync(cancellationToken)),
            ContentType = ControlPlaneMetrics.ContentType,
            StatusCode = StatusCodes.Status200OK,
        });

    [Function("GetOperationDurations")]
    public Task<IActionResult> Durations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operations/durations")] HttpRequest request,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        var text = request.Query.TryGetValue("window", out var values) ? values.ToString() : null;
        if (!DurationWindow.TryParse(text, out var window))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["window"] = [$"'{text}' is not a window: {DurationWindow.Rule}."] });
        }

        var report = await queries.DurationsAsync(window, request.Caller().OwnerScope, options.ProvisionConcurrency, cancellationToken);
        return ApiJson.Ok(new DurationsResponse(
            Wire.Timestamp(report.Since),
            report.Operations.Select(o => new DurationEntry(o.Operation.Name(), o.Count, Math.Round(o.P50Seconds, 3), Math.Round(o.P95Seconds, 3))).ToList(),
            new QueueEntry(report.Queue.Waiting, report.Queue.InUse, report.Queue.Capacity)));
    });

    private async Task<IActionResult> Guard(Func<Task<IActionResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogError(ex, "Database error while reading metrics");
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Database unavailable", "The store database could not be used; see GET /api/health and the logs, then try again.");
        }
    }
}
