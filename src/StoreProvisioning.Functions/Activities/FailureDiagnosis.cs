using System.Text.Json;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The cluster reads behind a failure's explanation: pods and events (explained by the pure
/// <see cref="ClusterDiagnostics"/>) and the release's revision. Best effort: never throws, because a failure to
/// diagnose must not mask the failure being diagnosed.
/// </summary>
public static class FailureDiagnosis
{
    /// <summary>Reads pods and events of the namespace and explains them; read errors become part of the detail.</summary>
    public static async Task<DiagnosticsReport> DiagnoseAsync(KubectlCli kubectl, string ns, ILogger logger)
    {
        var problems = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var pods = await ReadAsync(() => kubectl.GetPodsAsync(ns, timeout.Token), "pods", problems, logger).ConfigureAwait(false);
        var events = await ReadAsync(() => kubectl.GetEventsAsync(ns, timeout.Token), "events", problems, logger).ConfigureAwait(false);
        try
        {
            var report = ClusterDiagnostics.Summarise(pods, events);
            return problems.Count == 0
                ? report
                : report with
                {
                    Summary = pods is null && events is null ? "no diagnostics: " + string.Join("; ", problems) : report.Summary,
                    Detail = (report.Detail + Environment.NewLine + string.Join(Environment.NewLine, problems)).Trim(),
                };
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not summarise diagnostics of {Namespace}", ns);
            return new DiagnosticsReport("no diagnostics: " + ex.Message, string.Join(Environment.NewLine, problems), false);
        }
    }

    /// <summary>The release's current revision, or null when it cannot be read (for the FAILED row).</summary>
    public static async Task<int?> TryRevisionAsync(HelmCli helm, string release, string ns, ILogger logger)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            return (await helm.StatusAsync(release, ns, timeout.Token).ConfigureAwait(false))?.Revision;
        }
        catch (Exception ex)
        {
            logger.LogInformation("Could not read the revision of {Release} after a failure: {Reason}", release, ex.Message);
            return null;
        }
    }

    private static async Task<JsonElement?> ReadAsync(Func<Task<JsonDocument>> read, string what, List<string> problems, ILogger logger)
    {
        try
        {
            using var document = await read().ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (Exception ex)
        {
            var reason = ex is CliCommandException cli ? CliFailureReason.For(cli) : ex.Message;
            logger.LogInformation("Could not read {What} for diagnostics: {Reason}", what, reason);
            problems.Add($"could not read {what}: {reason}");
            return null;
        }
    }
}
