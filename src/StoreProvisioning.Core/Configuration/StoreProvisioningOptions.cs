using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace StoreProvisioning.Configuration;

/// <summary>
/// Every setting of the control plane, read once from configuration (app settings / environment variables).
/// The README's settings table lists the same names and defaults.
/// </summary>
public sealed record StoreProvisioningOptions
{
    /// <summary>SQLite database file. Default: data/stores.db under the app's folder.</summary>
    public required string SqlitePath { get; init; }

    /// <summary>helm executable; a bare name is looked up on PATH.</summary>
    public string HelmPath { get; init; } = "helm";

    /// <summary>kubectl executable; a bare name is looked up on PATH.</summary>
    public string KubectlPath { get; init; } = "kubectl";

    /// <summary>Folder holding one chart per engine (woocommerce/, medusa/).</summary>
    public required string ChartsRoot { get; init; }

    /// <summary>Stores are reached at {name}.{StoreDomain}.</summary>
    public string StoreDomain { get; init; } = "localhost";

    /// <summary>How a browser reaches a store; {host} is replaced by the ingress host. Matches the README's k3d quick start.</summary>
    public string StoreUrlTemplate { get; init; } = "http://{host}:8080";

    /// <summary>helm's own --timeout for install, upgrade, rollback and uninstall.</summary>
    public TimeSpan HelmTimeout { get; init; } = DefaultHelmTimeout;

    /// <summary>How many cluster steps (helm/kubectl work) may run at once.</summary>
    public int ProvisionConcurrency { get; init; } = 2;

    /// <summary>How many stores one user may own at a time, whatever their status.</summary>
    public int MaxStoresPerUser { get; init; } = 3;

    /// <summary>How many stores may exist at a time across all users.</summary>
    public int MaxStoresTotal { get; init; } = 200;

    /// <summary>Timeout of short read-only CLI calls (status, history, version, get).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After SIGTERM, how long a CLI process may take to exit before it is killed.</summary>
    public TimeSpan TerminationGrace { get; init; } = DefaultTerminationGrace;

    /// <summary>How often the reconciler compares the database with the cluster.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The ingress host of a store.</summary>
    public string HostFor(string storeName) => $"{storeName}.{StoreDomain}";

    /// <summary>The address a browser uses to reach a store.</summary>
    public string UrlFor(string storeName) => StoreUrlTemplate.Replace("{host}", HostFor(storeName), StringComparison.Ordinal);

    /// <summary>The guard an orchestrator puts around one helm step: helm's timeout, then termination, then slack.</summary>
    public TimeSpan OperationDeadline => DeadlineFor(HelmTimeout, TerminationGrace);

    public static readonly TimeSpan DefaultHelmTimeout = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan DefaultTerminationGrace = TimeSpan.FromSeconds(10);

    /// <summary>helm's timeout, then the runner's SIGTERM grace, then a minute of slack for recording the outcome.</summary>
    public static TimeSpan DeadlineFor(TimeSpan helmTimeout, TimeSpan terminationGrace) => helmTimeout + terminationGrace + TimeSpan.FromMinutes(1);

    /// <summary>Reads the options from configuration keys named as in the README (HELM_PATH, SQLITE_PATH, ...).</summary>
    public static StoreProvisioningOptions FromConfiguration(IConfiguration configuration, string appBaseDirectory)
    {
        var errors = new List<string>();
        var options = new StoreProvisioningOptions
        {
            SqlitePath = Path.GetFullPath(Text(configuration, "SQLITE_PATH") ?? Path.Combine(appBaseDirectory, "data", "stores.db")),
            HelmPath = Text(configuration, "HELM_PATH") ?? "helm",
            KubectlPath = Text(configuration, "KUBECTL_PATH") ?? "kubectl",
            ChartsRoot = Path.GetFullPath(Text(configuration, "CHARTS_ROOT") ?? FindChartsRoot(appBaseDirectory)),
            StoreDomain = Text(configuration, "STORE_DOMAIN") ?? "localhost",
            StoreUrlTemplate = Text(configuration, "STORE_URL_TEMPLATE") ?? "http://{host}:8080",
            HelmTimeout = Duration(configuration, "HELM_TIMEOUT", DefaultHelmTimeout, errors),
            ProvisionConcurrency = Number(configuration, "PROVISION_CONCURRENCY", 2, 1, 64, errors),
            MaxStoresPerUser = Number(configuration, "MAX_STORES_PER_USER", 3, 1, 1000, errors),
            MaxStoresTotal = Number(configuration, "MAX_STORES_TOTAL", 200, 1, 100_000, errors),
            QueryTimeout = Duration(configuration, "QUERY_TIMEOUT", TimeSpan.FromSeconds(30), errors),
            TerminationGrace = Duration(configuration, "TERMINATION_GRACE", DefaultTerminationGrace, errors),
            ReconcileInterval = Duration(configuration, "RECONCILE_INTERVAL", TimeSpan.FromMinutes(1), errors),
        };

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid settings: " + string.Join(" ", errors));
        }

        return options;
    }

    /// <summary>Parses helm-style durations ("90s", "10m", "1h30m") and TimeSpan text ("00:10:00").</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text.Contains(':'))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        }

        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$");
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            duration = new TimeSpan(Part(1), Part(2), Part(3));
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            // "99999999999s" or "999999999h": a Try method refuses what it cannot represent instead of throwing.
            duration = TimeSpan.Zero;
            return false;
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>helm's --timeout spelling of a duration, e.g. 600s.</summary>
    public static string HelmDuration(TimeSpan duration) =>
        ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    // Timers cannot wait longer than ~49 days; no cluster step should wait more than a day.
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    private static string? Text(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (TryParseDuration(text, out var value) && value <= MaxDuration)
        {
            return value;
        }

        errors.Add($"{key}='{text}' is not a duration of at most 24h (use e.g. 90s, 10m, 1h or 00:10:00).");
        return fallback;
    }

    private static int Number(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key}='{text}' must be a whole number from {min} to {max}.");
        return fallback;
    }

    // The charts ship beside the app in a container (helm/ next to the binaries) and at the repository root in a checkout.
    private static string FindChartsRoot(string appBaseDirectory)
    {
        for (var dir = new DirectoryInfo(appBaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "helm");
            if (Directory.Exists(Path.Combine(candidate, "woocommerce")))
            {
                return candidate;
            }
        }

        return Path.Combine(appBaseDirectory, "helm");
    }
}
