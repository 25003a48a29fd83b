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

    /// <summary>Where the metadata lives: the embedded SQLite file (one instance) or PostgreSQL (several instances).</summary>
    public StoreDatabaseKind StoreDatabase { get; init; } = StoreDatabaseKind.Sqlite;

    /// <summary>The Npgsql connection string when <see cref="StoreDatabase"/> is PostgreSQL; it may hold a password, so it prints as hidden.</summary>
    public HiddenSetting? PostgresConnection { get; init; }

    /// <summary>Audit rows older than this are pruned by the reconcile timer.</summary>
    public int AuditRetentionDays { get; init; } = 90;

    /// <summary>LOG_FORMAT: the console's format (text, or json with scopes).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

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

    /// <summary>The operator's catalog of approved versions and plans (JSON). Default: catalog.json in the charts folder.</summary>
    public string? CatalogPath { get; init; }

    /// <summary>The catalog file actually read: <see cref="CatalogPath"/>, else catalog.json in the charts folder.</summary>
    public string CatalogFile => CatalogPath ?? Path.Combine(ChartsRoot, "catalog.json");

    /// <summary>
    /// Render the platform chart's NetworkPolicies into every store namespace. False only for clusters without a
    /// NetworkPolicy engine; Pod Security labels, quota and limits stay. An operator setting, never a request value.
    /// </summary>
    public bool IsolationEnabled { get; init; } = true;

    /// <summary>Namespace of the ingress controller allowed to reach a store's web pod (k3s: Traefik in kube-system).</summary>
    public string IngressControllerNamespace { get; init; } = "kube-system";

    /// <summary>The control plane's own namespace, never reachable from a store.</summary>
    public string ControlPlaneNamespace { get; init; } = "store-system";

    /// <summary>IPv4 CIDRs of the API server endpoints; empty = read from `kubectl get endpoints kubernetes -n default`.</summary>
    public IReadOnlyList<string> ApiServerCidrs { get; init; } = [];

    /// <summary>More IPv4 CIDRs a store may never reach through internet egress.</summary>
    public IReadOnlyList<string> BlockedCidrs { get; init; } = [];

    /// <summary>
    /// The ClusterRole the control plane binds in every store namespace (RoleBinding `store-provisioning`) so its own
    /// ServiceAccount may act there; set by helm/control-plane. Null (local runs, no RBAC): no RoleBinding is rendered.
    /// </summary>
    public string? StoreNamespaceClusterRole { get; init; }

    /// <summary>The control plane's ServiceAccount (in <see cref="ControlPlaneNamespace"/>) that RoleBinding names; set together with <see cref="StoreNamespaceClusterRole"/>.</summary>
    public string? ControlPlaneServiceAccount { get; init; }

    /// <summary>Where a signed JSON event goes when a store becomes READY, FAILED or is deleted; null: no notifications.</summary>
    public Uri? NotifyWebhookUrl { get; init; }

    /// <summary>The key of the events' HMAC-SHA256 signature; required with <see cref="NotifyWebhookUrl"/>.</summary>
    public HiddenSetting? NotifyWebhookSecret { get; init; }

    /// <summary>How many times one event is sent at most before it is given up.</summary>
    public int NotifyWebhookAttempts { get; init; } = 5;

    /// <summary>The wait before the second attempt; it doubles for each later one (at most 10 minutes).</summary>
    public TimeSpan NotifyWebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pod Security policy version pinned on store namespaces' restricted labels.</summary>
    public string PodSecurityVersion { get; init; } = "v1.31";

    /// <summary>The platform chart rendered into every store namespace.</summary>
    public string PlatformChartPath => Path.Combine(ChartsRoot, "store-namespace");

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
            IsolationEnabled = Flag(configuration, "ISOLATION_ENABLED", true, errors),
            IngressControllerNamespace = NamespaceName(configuration, "INGRESS_CONTROLLER_NAMESPACE", "kube-system", errors),
            ControlPlaneNamespace = NamespaceName(configuration, "CONTROL_PLANE_NAMESPACE", "store-system", errors),
            ApiServerCidrs = Cidrs(configuration, "API_SERVER_CIDRS", errors),
            BlockedCidrs = Cidrs(configuration, "BLOCKED_CIDRS", errors),
            PodSecurityVersion = Matching(configuration, "POD_SECURITY_VERSION", "v1.31", @"^v1\.[0-9]{1,3}\z", "a Kubernetes minor version such as v1.31", errors),
            CatalogPath = Text(configuration, "CATALOG_PATH") is { } catalog ? Path.GetFullPath(catalog) : null,
            StoreNamespaceClusterRole = Optional(configuration, "STORE_NAMESPACE_CLUSTER_ROLE", RbacNamePattern, "a ClusterRole name (lower-case letters, digits, '-', '.', ':'; at most 253)", errors),
            ControlPlaneServiceAccount = Optional(configuration, "CONTROL_PLANE_SERVICE_ACCOUNT", ServiceAccountPattern, "a ServiceAccount name (DNS subdomain, at most 253)", errors),
            StoreDatabase = DatabaseKind(configuration, errors),
            PostgresConnection = Text(configuration, "POSTGRES_CONNECTION") is { } connection ? new HiddenSetting(connection) : null,
            AuditRetentionDays = Number(configuration, "AUDIT_RETENTION_DAYS", 90, 1, 36_500, errors),
            LogFormat = LogFormatSetting(configuration, errors),
        };

        if (options.StoreDatabase == StoreDatabaseKind.Postgres)
        {
            CheckPostgresConnection(options.PostgresConnection, errors);
        }

        options = options with
        {
            NotifyWebhookUrl = WebhookUrl(configuration, Flag(configuration, "NOTIFY_WEBHOOK_ALLOW_HTTP", false, errors), errors),
            NotifyWebhookSecret = Text(configuration, "NOTIFY_WEBHOOK_SECRET") is { } secret ? new HiddenSetting(secret) : null,
            NotifyWebhookAttempts = Number(configuration, "NOTIFY_WEBHOOK_ATTEMPTS", 5, 1, 20, errors),
            NotifyWebhookRetryDelay = Duration(configuration, "NOTIFY_WEBHOOK_RETRY_DELAY", TimeSpan.FromSeconds(10), errors),
        };
        if (options.NotifyWebhookUrl is not null && options.NotifyWebhookSecret is not { Value.Length: >= 16 })
        {
            errors.Add("NOTIFY_WEBHOOK_SECRET must be set, at least 16 characters, when NOTIFY_WEBHOOK_URL is (the events are signed with it).");
        }

        if ((options.StoreNamespaceClusterRole is null) != (options.ControlPlaneServiceAccount is null))
        {
            errors.Add("STORE_NAMESPACE_CLUSTER_ROLE and CONTROL_PLANE_SERVICE_ACCOUNT are set together (helm/control-plane sets both) or not at all.");
        }

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

    private static string? Text(IConfiguration configuration, string key) => SettingReader.Text(configuration, key);

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

    private static int Number(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors) =>
        SettingReader.Number(configuration, key, fallback, min, max, errors);

    /// <summary>
    /// LOG_FORMAT alone, for wiring the console before the other settings are read: throws naming the setting when it
    /// is neither text nor json, so the app stops at start as for any other bad setting.
    /// </summary>
    public static LogFormat LogFormatFrom(IConfiguration configuration)
    {
        var errors = new List<string>();
        var format = LogFormatSetting(configuration, errors);
        return errors.Count > 0 ? throw new InvalidOperationException("Invalid settings: " + string.Join(" ", errors)) : format;
    }

    private static LogFormat LogFormatSetting(IConfiguration configuration, List<string> errors)
    {
        switch (Text(configuration, "LOG_FORMAT")?.ToLowerInvariant())
        {
            case null or "text":
                return LogFormat.Text;
            case "json":
                return LogFormat.Json;
            case var other:
                errors.Add($"LOG_FORMAT='{other}' must be text or json.");
                return LogFormat.Text;
        }
    }

    private static StoreDatabaseKind DatabaseKind(IConfiguration configuration, List<string> errors)
    {
        switch (Text(configuration, "STORE_DATABASE")?.ToLowerInvariant())
        {
            case null or "sqlite":
                return StoreDatabaseKind.Sqlite;
            case "postgres":
                return StoreDatabaseKind.Postgres;
            case var other:
                errors.Add($"STORE_DATABASE='{other}' must be sqlite or postgres.");
                return StoreDatabaseKind.Sqlite;
        }
    }

    // Never echoes the value: it may carry a password.
    private static void CheckPostgresConnection(HiddenSetting? connection, List<string> errors)
    {
        if (connection is null)
        {
            errors.Add("STORE_DATABASE=postgres needs POSTGRES_CONNECTION (an Npgsql connection string such as Host=db;Database=stores;Username=app;Password=...).");
            return;
        }

        try
        {
            if (string.IsNullOrWhiteSpace(new Npgsql.NpgsqlConnectionStringBuilder(connection.Value).Host))
            {
                errors.Add("POSTGRES_CONNECTION has no Host=.");
            }
        }
        catch (ArgumentException)
        {
            errors.Add("POSTGRES_CONNECTION is not an Npgsql connection string (Key=value pairs separated by ';'; value not shown).");
        }
    }

    private static bool Flag(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{key}='{text}' must be true or false.");
        return fallback;
    }

    /// <summary>An absolute https URL (http only with NOTIFY_WEBHOOK_ALLOW_HTTP=true, for tests and development), without credentials in it.</summary>
    private static Uri? WebhookUrl(IConfiguration configuration, bool allowHttp, List<string> errors)
    {
        const string key = "NOTIFY_WEBHOOK_URL";
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{key} must be an absolute https:// URL.");
            return null;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !allowHttp)
        {
            errors.Add($"{key} must use https (http only with NOTIFY_WEBHOOK_ALLOW_HTTP=true, for tests and development).");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            errors.Add($"{key} must not carry credentials; the events are signed with NOTIFY_WEBHOOK_SECRET.");
            return null;
        }

        return url;
    }

    // What the platform chart's schema accepts for controlPlaneAccess (helm/store-namespace/values.schema.json).
    private const string RbacNamePattern = @"^(?=.{1,253}\z)[a-z0-9]([-a-z0-9.:]*[a-z0-9])?\z";
    private const string ServiceAccountPattern = @"^(?=.{1,253}\z)[a-z0-9]([-a-z0-9.]*[a-z0-9])?\z";

    /// <summary>A setting without a default: null when unset, else it must match.</summary>
    private static string? Optional(IConfiguration configuration, string key, string pattern, string what, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null || System.Text.RegularExpressions.Regex.IsMatch(text, pattern))
        {
            return text;
        }

        errors.Add($"{key}='{text}' must be {what}.");
        return null;
    }

    private static string NamespaceName(IConfiguration configuration, string key, string fallback, List<string> errors) =>
        Matching(configuration, key, fallback, @"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\z", "a namespace name (DNS label)", errors);

    private static string Matching(IConfiguration configuration, string key, string fallback, string pattern, string what, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (System.Text.RegularExpressions.Regex.IsMatch(text, pattern))
        {
            return text;
        }

        errors.Add($"{key}='{text}' must be {what}.");
        return fallback;
    }

    /// <summary>Comma-separated IPv4 CIDRs (a.b.c.d/n); they reach the platform chart's NetworkPolicies.</summary>
    private static IReadOnlyList<string> Cidrs(IConfiguration configuration, string key, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return [];
        }

        var cidrs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = cidrs.Where(c => !IsIpv4Cidr(c)).ToList();
        if (bad.Count > 0)
        {
            errors.Add($"{key}: '{string.Join("', '", bad)}' is not an IPv4 CIDR such as 203.0.113.10/32.");
            return [];
        }

        return cidrs;
    }

    public static bool IsIpv4Cidr(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && System.Net.IPAddress.TryParse(parts[0], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && parts[0].Count(c => c == '.') == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 0 and <= 32;
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
