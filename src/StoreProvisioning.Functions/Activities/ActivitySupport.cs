using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>What every activity shares: fencing checks, short failure reasons, audit vocabulary, diagnostics reads.</summary>
public static partial class ActivitySupport
{
    /// <summary>
    /// The fence every step passes before touching the cluster: the store must still exist, still carry this operation
    /// id, and be in one of <paramref name="expected"/>. A READY store of the same operation means the step already
    /// succeeded (a re-delivered activity): reported as success, nothing is redone.
    /// </summary>
    public static StepOutcome? Check(Store? store, StoreOperationInput input, params StoreStatus[] expected)
    {
        if (store is null)
        {
            return StepOutcome.Moved($"Store '{input.StoreName}' no longer exists.");
        }

        if (store.OperationId != input.OperationId)
        {
            return StepOutcome.Moved($"A newer operation ({store.Operation?.Name()}) has taken over store '{store.Name}'.");
        }

        if (expected.Contains(store.Status))
        {
            return null;
        }

        return store.Status == StoreStatus.Ready && !expected.Contains(StoreStatus.Deleting)
            ? StepOutcome.Ok(store.Revision, "already done")
            : StepOutcome.Moved($"Store '{store.Name}' is {store.Status.Name()}; this step no longer applies.");
    }

    /// <summary>A short reason a person can act on, from a CLI failure (the full message goes to the audit row).</summary>
    public static string Reason(CliCommandException ex)
    {
        var tool = ex.Command.Split(' ', 2)[0];
        switch (ex.Failure)
        {
            case CliFailure.TimedOut:
                var after = TimedOutAfter().Match(ex.Message);
                return $"{tool} timed out after {(after.Success ? after.Groups[1].Value : "its timeout")} and was stopped";
            case CliFailure.NotStartable:
                return $"could not start {tool} ({ex.InnerException?.Message ?? "not found"}); is it installed, and is {tool.ToUpperInvariant()}_PATH right?";
            case CliFailure.UnreadableOutput:
                return $"{tool} printed output that could not be read: {CliCommandException.Tail(ex.Result?.StandardOutput ?? string.Empty, 120)}";
            default:
                var output = ex.Result is null ? string.Empty : ex.Result.StandardError.Length > 0 ? ex.Result.StandardError : ex.Result.StandardOutput;
                var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0);
                return line is null
                    ? $"{tool} exited with code {ex.Result?.ExitCode}"
                    : $"{tool} exited with code {ex.Result?.ExitCode}: {CliCommandException.Tail(line, 300)}";
        }
    }

    /// <summary>The audit actions (started, succeeded, failed) of the operation a step carries out.</summary>
    public static (string Started, string Succeeded, string Failed) AuditFor(StoreOperation operation) => operation switch
    {
        StoreOperation.Upgrade => (AuditActions.UpgradeStarted, AuditActions.UpgradeSucceeded, AuditActions.UpgradeFailed),
        StoreOperation.Rollback => (AuditActions.RollbackStarted, AuditActions.RollbackSucceeded, AuditActions.RollbackFailed),
        StoreOperation.Delete => (AuditActions.DeleteRequested, AuditActions.StoreRemoved, AuditActions.NamespaceDeleteFailed),
        _ => (AuditActions.InstallStarted, AuditActions.InstallSucceeded, AuditActions.InstallFailed),
    };

    /// <summary>"Install", "Upgrade", "Rollback": how an operation reads at the start of a sentence.</summary>
    public static string Title(StoreOperation operation) => operation switch
    {
        StoreOperation.Install => "Install",
        StoreOperation.Upgrade => "Upgrade",
        StoreOperation.Rollback => "Rollback",
        StoreOperation.Retry => "Retry",
        _ => "Delete",
    };

    /// <summary>
    /// Reads pods and events of the namespace and explains them. Never throws: a failure to diagnose must not mask
    /// the failure being diagnosed, so read errors become part of the detail.
    /// </summary>
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

    /// <summary>The release's current revision, or null when it cannot be read (best effort, for the FAILED row).</summary>
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
            var reason = ex is CliCommandException cli ? Reason(cli) : ex.Message;
            logger.LogInformation("Could not read {What} for diagnostics: {Reason}", what, reason);
            problems.Add($"could not read {what}: {reason}");
            return null;
        }
    }

    [GeneratedRegex(@"timed out after (\S+?)(?: and|\.|$)")]
    private static partial Regex TimedOutAfter();
}
