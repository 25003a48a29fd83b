using Microsoft.Extensions.Configuration;
using StoreProvisioning.Configuration;
using StoreProvisioning.Core.Tests.Support;

namespace StoreProvisioning.Core.Tests.Configuration;

public class StoreProvisioningOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    // With no settings every option has the documented default; the database lives in data/stores.db under the app.
    [Fact]
    public void Defaults()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(Config(), app.Path);

        Assert.Equal(Path.Combine(app.Path, "data", "stores.db"), options.SqlitePath);
        Assert.Equal("helm", options.HelmPath);
        Assert.Equal("kubectl", options.KubectlPath);
        Assert.Equal(Path.Combine(app.Path, "helm"), options.ChartsRoot);
        Assert.Equal("localhost", options.StoreDomain);
        Assert.Equal("http://{host}:8080", options.StoreUrlTemplate);
        Assert.Equal(TimeSpan.FromMinutes(10), options.HelmTimeout);
        Assert.Equal(2, options.ProvisionConcurrency);
        Assert.Equal(3, options.MaxStoresPerUser);
        Assert.Equal(TimeSpan.FromSeconds(30), options.QueryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.TerminationGrace);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ReconcileInterval);
        Assert.Equal("http://acme.localhost:8080", options.UrlFor("acme"));
        Assert.Equal(Path.Combine(app.Path, "helm", "catalog.json"), options.CatalogFile);
        Assert.True(options.IsolationEnabled);
        Assert.Equal("kube-system", options.IngressControllerNamespace);
        Assert.Equal("store-system", options.ControlPlaneNamespace);
        Assert.Empty(options.ApiServerCidrs);
        Assert.Empty(options.BlockedCidrs);
        Assert.Equal("v1.31", options.PodSecurityVersion);
        Assert.Null(options.StoreNamespaceClusterRole);
        Assert.Null(options.ControlPlaneServiceAccount);
    }

    // The webhook settings: https only (http only with the explicit allow switch), no credentials in the URL, a
    // secret of at least 16 characters with it, bounded attempts; the secret never shows in the options' text.
    [Fact]
    public void Webhook_settings_are_read_and_checked()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(
            Config(("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/stores?token=abc"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef-secret"),
                ("NOTIFY_WEBHOOK_ATTEMPTS", "7"), ("NOTIFY_WEBHOOK_RETRY_DELAY", "30s")),
            app.Path);
        Assert.Equal(new Uri("https://hooks.example.com/stores?token=abc"), options.NotifyWebhookUrl);
        Assert.Equal("0123456789abcdef-secret", options.NotifyWebhookSecret!.Value);
        Assert.Equal(7, options.NotifyWebhookAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.NotifyWebhookRetryDelay);
        Assert.DoesNotContain("0123456789abcdef-secret", options.ToString());

        var defaults = StoreProvisioningOptions.FromConfiguration(Config(), app.Path);
        Assert.Null(defaults.NotifyWebhookUrl);
        Assert.Equal(5, defaults.NotifyWebhookAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.NotifyWebhookRetryDelay);

        var http = StoreProvisioningOptions.FromConfiguration(
            Config(("NOTIFY_WEBHOOK_URL", "http://127.0.0.1:9000/hook"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef"), ("NOTIFY_WEBHOOK_ALLOW_HTTP", "true")), app.Path);
        Assert.Equal("http", http.NotifyWebhookUrl!.Scheme);

        foreach (var (settings, expected) in new[]
        {
            (Config(("NOTIFY_WEBHOOK_URL", "http://hooks.example.com/"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef")), "must use https"),
            (Config(("NOTIFY_WEBHOOK_URL", "ftp://hooks.example.com/"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef")), "must be an absolute https:// URL"),
            (Config(("NOTIFY_WEBHOOK_URL", "hooks.example.com"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef")), "must be an absolute https:// URL"),
            (Config(("NOTIFY_WEBHOOK_URL", "https://user:pw@hooks.example.com/"), ("NOTIFY_WEBHOOK_SECRET", "0123456789abcdef")), "must not carry credentials"),
            (Config(("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/")), "NOTIFY_WEBHOOK_SECRET must be set"),
            (Config(("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/"), ("NOTIFY_WEBHOOK_SECRET", "short")), "at least 16 characters"),
            (Config(("NOTIFY_WEBHOOK_ATTEMPTS", "0")), "NOTIFY_WEBHOOK_ATTEMPTS='0'"),
            (Config(("NOTIFY_WEBHOOK_ALLOW_HTTP", "yes")), "NOTIFY_WEBHOOK_ALLOW_HTTP='yes'"),
        })
        {
            var ex = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(settings, app.Path));
            Assert.Contains(expected, ex.Message);
            Assert.DoesNotContain("pw@", ex.Message);
        }
    }

    // The RoleBinding settings helm/control-plane passes are read, come as a pair, and must be RBAC names: they reach
    // the platform chart's RoleBinding.
    [Fact]
    public void Store_namespace_access_settings_are_read_and_checked()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(
            Config(("STORE_NAMESPACE_CLUSTER_ROLE", "control-plane-control-plane-store-namespace"), ("CONTROL_PLANE_SERVICE_ACCOUNT", "control-plane")),
            app.Path);
        Assert.Equal("control-plane-control-plane-store-namespace", options.StoreNamespaceClusterRole);
        Assert.Equal("control-plane", options.ControlPlaneServiceAccount);

        var alone = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(Config(("STORE_NAMESPACE_CLUSTER_ROLE", "store-role")), app.Path));
        Assert.Contains("STORE_NAMESPACE_CLUSTER_ROLE and CONTROL_PLANE_SERVICE_ACCOUNT are set together", alone.Message);

        var bad = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(
            Config(("STORE_NAMESPACE_CLUSTER_ROLE", "Role\n---"), ("CONTROL_PLANE_SERVICE_ACCOUNT", "sa:x")), app.Path));
        Assert.Contains("STORE_NAMESPACE_CLUSTER_ROLE='Role\n---' must be a ClusterRole name", bad.Message);
        Assert.Contains("CONTROL_PLANE_SERVICE_ACCOUNT='sa:x' must be a ServiceAccount name", bad.Message);
        Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(
            Config(("STORE_NAMESPACE_CLUSTER_ROLE", new string('a', 254)), ("CONTROL_PLANE_SERVICE_ACCOUNT", "sa")), app.Path));
    }

    // The platform isolation settings are read and checked: they reach the platform chart's NetworkPolicies.
    [Fact]
    public void Isolation_settings_are_read_and_checked()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(
            Config(("CATALOG_PATH", "/etc/stores/catalog.json"), ("ISOLATION_ENABLED", "false"), ("INGRESS_CONTROLLER_NAMESPACE", "ingress-nginx"),
                ("CONTROL_PLANE_NAMESPACE", "stores"), ("API_SERVER_CIDRS", "203.0.113.10/32, 203.0.113.11/32"), ("BLOCKED_CIDRS", "100.100.0.0/16"),
                ("POD_SECURITY_VERSION", "v1.33")),
            app.Path);
        Assert.Equal("/etc/stores/catalog.json", options.CatalogFile);
        Assert.False(options.IsolationEnabled);
        Assert.Equal("ingress-nginx", options.IngressControllerNamespace);
        Assert.Equal("stores", options.ControlPlaneNamespace);
        Assert.Equal(["203.0.113.10/32", "203.0.113.11/32"], options.ApiServerCidrs);
        Assert.Equal(["100.100.0.0/16"], options.BlockedCidrs);
        Assert.Equal("v1.33", options.PodSecurityVersion);

        var ex = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(
            Config(("ISOLATION_ENABLED", "no"), ("API_SERVER_CIDRS", "10.0.0.1"), ("BLOCKED_CIDRS", "::1/128"), ("INGRESS_CONTROLLER_NAMESPACE", "Kube System\n---"),
                ("POD_SECURITY_VERSION", "latest")),
            app.Path));
        Assert.Contains("ISOLATION_ENABLED='no'", ex.Message);
        Assert.Contains("API_SERVER_CIDRS: '10.0.0.1'", ex.Message);
        Assert.Contains("BLOCKED_CIDRS: '::1/128'", ex.Message);
        Assert.Contains("INGRESS_CONTROLLER_NAMESPACE=", ex.Message);
        Assert.Contains("POD_SECURITY_VERSION='latest'", ex.Message);
    }

    // Blank and whitespace-only settings count as unset and give the defaults.
    [Fact]
    public void Blank_settings_mean_default()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(
            Config(("HELM_PATH", "  "), ("STORE_DOMAIN", ""), ("HELM_TIMEOUT", " "), ("MAX_STORES_PER_USER", "")), app.Path);
        Assert.Equal("helm", options.HelmPath);
        Assert.Equal("localhost", options.StoreDomain);
        Assert.Equal(TimeSpan.FromMinutes(10), options.HelmTimeout);
        Assert.Equal(3, options.MaxStoresPerUser);
    }

    // Every setting is read from its README name, trimmed, and paths are made absolute.
    [Fact]
    public void Each_setting_is_read()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(
            Config(
                ("SQLITE_PATH", Path.Combine(app.Path, "x", "s.db")),
                ("HELM_PATH", " /opt/helm4/helm "),
                ("KUBECTL_PATH", "/usr/local/bin/kubectl"),
                ("CHARTS_ROOT", Path.Combine(app.Path, "charts")),
                ("STORE_DOMAIN", "shops.example.com"),
                ("STORE_URL_TEMPLATE", "https://{host}"),
                ("HELM_TIMEOUT", "90s"),
                ("PROVISION_CONCURRENCY", "5"),
                ("MAX_STORES_PER_USER", "7"),
                ("QUERY_TIMEOUT", "00:00:45"),
                ("TERMINATION_GRACE", "3s"),
                ("RECONCILE_INTERVAL", "1h30m")),
            app.Path);

        Assert.Equal(Path.Combine(app.Path, "x", "s.db"), options.SqlitePath);
        Assert.Equal("/opt/helm4/helm", options.HelmPath);
        Assert.Equal("/usr/local/bin/kubectl", options.KubectlPath);
        Assert.Equal(Path.Combine(app.Path, "charts"), options.ChartsRoot);
        Assert.Equal("shops.example.com", options.StoreDomain);
        Assert.Equal(TimeSpan.FromSeconds(90), options.HelmTimeout);
        Assert.Equal(5, options.ProvisionConcurrency);
        Assert.Equal(7, options.MaxStoresPerUser);
        Assert.Equal(TimeSpan.FromSeconds(45), options.QueryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.TerminationGrace);
        Assert.Equal(TimeSpan.FromMinutes(90), options.ReconcileInterval);
        Assert.Equal("acme.shops.example.com", options.HostFor("acme"));
        Assert.Equal("https://acme.shops.example.com", options.UrlFor("acme"));
    }

    // A relative SQLITE_PATH is resolved to an absolute path.
    [Fact]
    public void Relative_sqlite_path_becomes_absolute()
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(Config(("SQLITE_PATH", "rel/stores.db")), app.Path);
        Assert.True(Path.IsPathRooted(options.SqlitePath));
        Assert.EndsWith(Path.Combine("rel", "stores.db"), options.SqlitePath);
    }

    // Without CHARTS_ROOT the charts are found in a helm/ folder (holding woocommerce/) above the app's folder.
    [Fact]
    public void Charts_root_is_found_above_the_app()
    {
        using var repo = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(repo.Path, "helm", "woocommerce"));
        var appDir = Directory.CreateDirectory(Path.Combine(repo.Path, "src", "app", "bin")).FullName;

        var options = StoreProvisioningOptions.FromConfiguration(Config(), appDir);
        Assert.Equal(Path.Combine(repo.Path, "helm"), options.ChartsRoot);
    }

    // Integer bounds: PROVISION_CONCURRENCY 1..64 and MAX_STORES_PER_USER 1..1000 accept their bounds.
    [Theory]
    [InlineData("PROVISION_CONCURRENCY", "1")]
    [InlineData("PROVISION_CONCURRENCY", "64")]
    [InlineData("MAX_STORES_PER_USER", "1")]
    [InlineData("MAX_STORES_PER_USER", "1000")]
    public void Integer_bounds_are_inclusive(string key, string value)
    {
        using var app = new TempDirectory();
        var options = StoreProvisioningOptions.FromConfiguration(Config((key, value)), app.Path);
        Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), key == "MAX_STORES_PER_USER" ? options.MaxStoresPerUser : options.ProvisionConcurrency);
    }

    // Each invalid value is refused with a message naming the setting, the value and what is expected.
    [Theory]
    [InlineData("PROVISION_CONCURRENCY", "0", "whole number from 1 to 64")]
    [InlineData("PROVISION_CONCURRENCY", "65", "whole number from 1 to 64")]
    [InlineData("PROVISION_CONCURRENCY", "two", "whole number from 1 to 64")]
    [InlineData("PROVISION_CONCURRENCY", "-1", "whole number from 1 to 64")]
    [InlineData("PROVISION_CONCURRENCY", "2.5", "whole number from 1 to 64")]
    [InlineData("MAX_STORES_PER_USER", "0", "whole number from 1 to 1000")]
    [InlineData("MAX_STORES_PER_USER", "1001", "whole number from 1 to 1000")]
    [InlineData("MAX_STORES_PER_USER", "99999999999", "whole number from 1 to 1000")]
    [InlineData("HELM_TIMEOUT", "10", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "0s", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "-5m", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "ten minutes", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "99999999999s", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "999999999h", "is not a duration")]
    [InlineData("HELM_TIMEOUT", "25h", "at most 24h")]
    [InlineData("HELM_TIMEOUT", "2000:00:00", "at most 24h")]
    [InlineData("QUERY_TIMEOUT", "00:00:00", "is not a duration")]
    [InlineData("TERMINATION_GRACE", "1d", "is not a duration")]
    [InlineData("RECONCILE_INTERVAL", "5m30", "is not a duration")]
    public void Invalid_value_is_named_in_the_exception(string key, string value, string expected)
    {
        using var app = new TempDirectory();
        var ex = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(Config((key, value)), app.Path));
        Assert.StartsWith("Invalid settings:", ex.Message);
        Assert.Contains($"{key}='{value}'", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    // Several invalid settings give ONE exception that lists every problem.
    [Fact]
    public void All_problems_are_listed_in_one_exception()
    {
        using var app = new TempDirectory();
        var ex = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(
            Config(
                ("HELM_TIMEOUT", "soon"),
                ("PROVISION_CONCURRENCY", "0"),
                ("MAX_STORES_PER_USER", "lots"),
                ("QUERY_TIMEOUT", "x"),
                ("TERMINATION_GRACE", "-1s"),
                ("RECONCILE_INTERVAL", "never")),
            app.Path));

        foreach (var key in new[] { "HELM_TIMEOUT", "PROVISION_CONCURRENCY", "MAX_STORES_PER_USER", "QUERY_TIMEOUT", "TERMINATION_GRACE", "RECONCILE_INTERVAL" })
        {
            Assert.Contains(key + "=", ex.Message);
        }
    }

    // Helm-style and TimeSpan-style durations parse to the right length.
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("2m5s", 125)]
    [InlineData("1h5s", 3605)]
    [InlineData(" 10m ", 600)]
    [InlineData("00:10:00", 600)]
    [InlineData("0:0:1", 1)]
    [InlineData("1.00:00:00", 86400)]
    [InlineData("120m", 7200)]
    public void TryParseDuration_accepts(string text, int seconds)
    {
        Assert.True(StoreProvisioningOptions.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    // Empty, zero, negative, unit-less, out-of-order, unknown units and overflowing numbers are refused, never thrown.
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0s")]
    [InlineData("0h0m0s")]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("10")]
    [InlineData("-5m")]
    [InlineData("5m1h")]
    [InlineData("1d")]
    [InlineData("5M")]
    [InlineData("1.5h")]
    [InlineData("10 m")]
    [InlineData("abc")]
    [InlineData("1:2:3:4:5")]
    [InlineData("99999999999s")]
    [InlineData("2147483647h")]
    [InlineData("999999999h")]
    public void TryParseDuration_refuses(string text) => Assert.False(StoreProvisioningOptions.TryParseDuration(text, out _));

    // helm's --timeout spelling is whole seconds, rounded up.
    [Theory]
    [InlineData(600_000, "600s")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "2s")]
    [InlineData(1, "1s")]
    [InlineData(3_600_000, "3600s")]
    public void HelmDuration_is_whole_seconds_rounded_up(int milliseconds, string expected) =>
        Assert.Equal(expected, StoreProvisioningOptions.HelmDuration(TimeSpan.FromMilliseconds(milliseconds)));

    // HostFor/UrlFor build {name}.{domain} and substitute every {host} in the template.
    [Theory]
    [InlineData("localhost", "http://{host}:8080", "acme", "acme.localhost", "http://acme.localhost:8080")]
    [InlineData("shops.example.com", "https://{host}/", "acme", "acme.shops.example.com", "https://acme.shops.example.com/")]
    [InlineData("localhost", "http://127.0.0.1:8080/?h={host}", "my-shop", "my-shop.localhost", "http://127.0.0.1:8080/?h=my-shop.localhost")]
    [InlineData("localhost", "http://{host}/{host}", "abc", "abc.localhost", "http://abc.localhost/abc.localhost")]
    public void HostFor_and_UrlFor(string domain, string template, string name, string host, string url)
    {
        var options = new StoreProvisioningOptions { SqlitePath = "/tmp/x.db", ChartsRoot = "/tmp/helm", StoreDomain = domain, StoreUrlTemplate = template };
        Assert.Equal(host, options.HostFor(name));
        Assert.Equal(url, options.UrlFor(name));
    }

    // The orchestrator's guard is helm's timeout plus the termination grace plus a minute of slack.
    [Fact]
    public void OperationDeadline_exceeds_helm_timeout_and_grace()
    {
        var options = new StoreProvisioningOptions { SqlitePath = "/tmp/x.db", ChartsRoot = "/tmp/helm", HelmTimeout = TimeSpan.FromMinutes(5), TerminationGrace = TimeSpan.FromSeconds(10) };
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10) + TimeSpan.FromMinutes(1), options.OperationDeadline);
    }

    // The metadata store: SQLite by default (90 days of audit kept); postgres with a connection string.
    [Fact]
    public void Database_settings()
    {
        using var app = new TempDirectory();
        var defaults = StoreProvisioningOptions.FromConfiguration(Config(), app.Path);
        Assert.Equal(StoreDatabaseKind.Sqlite, defaults.StoreDatabase);
        Assert.Null(defaults.PostgresConnection);
        Assert.Equal(90, defaults.AuditRetentionDays);

        var postgres = StoreProvisioningOptions.FromConfiguration(
            Config(("STORE_DATABASE", "postgres"), ("POSTGRES_CONNECTION", "Host=db;Database=stores;Username=app;Password=pw-123"), ("AUDIT_RETENTION_DAYS", "30")),
            app.Path);
        Assert.Equal(StoreDatabaseKind.Postgres, postgres.StoreDatabase);
        Assert.Equal("Host=db;Database=stores;Username=app;Password=pw-123", postgres.PostgresConnection!.Value);
        Assert.Equal(30, postgres.AuditRetentionDays);
        Assert.DoesNotContain("pw-123", postgres.ToString());
    }

    // Bad database settings stop start-up with a sentence per setting, and never echo the connection string (it may hold a password).
    [Theory]
    [InlineData("postgres", null, "STORE_DATABASE=postgres needs POSTGRES_CONNECTION")]
    [InlineData("postgres", "Host=db;Password=pw-123;Bogus Key=1", "POSTGRES_CONNECTION is not an Npgsql connection string")]
    [InlineData("postgres", "Database=stores;Password=pw-123", "POSTGRES_CONNECTION has no Host=")]
    [InlineData("mysql", null, "STORE_DATABASE='mysql' must be sqlite or postgres.")]
    public void Bad_database_settings_are_refused_without_the_secret(string kind, string? connection, string message)
    {
        using var app = new TempDirectory();
        var ex = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(
            Config(("STORE_DATABASE", kind), ("POSTGRES_CONNECTION", connection), ("AUDIT_RETENTION_DAYS", "0")), app.Path));
        Assert.Contains(message, ex.Message);
        Assert.Contains("AUDIT_RETENTION_DAYS='0' must be a whole number from 1 to 36500.", ex.Message);
        Assert.DoesNotContain("pw-123", ex.Message);
    }

    // LOG_FORMAT is text (default) or json, in any case; anything else stops start-up naming the setting, from both readers.
    [Theory]
    [InlineData(null, LogFormat.Text)]
    [InlineData("text", LogFormat.Text)]
    [InlineData("JSON", LogFormat.Json)]
    [InlineData(" json ", LogFormat.Json)]
    public void Log_format_is_text_or_json(string? value, LogFormat expected)
    {
        using var app = new TempDirectory();
        Assert.Equal(expected, StoreProvisioningOptions.FromConfiguration(Config(("LOG_FORMAT", value)), app.Path).LogFormat);
        Assert.Equal(expected, StoreProvisioningOptions.LogFormatFrom(Config(("LOG_FORMAT", value))));
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("logfmt")]
    public void Bad_log_format_is_refused(string value)
    {
        using var app = new TempDirectory();
        var fromAll = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.FromConfiguration(Config(("LOG_FORMAT", value)), app.Path));
        var alone = Assert.Throws<InvalidOperationException>(() => StoreProvisioningOptions.LogFormatFrom(Config(("LOG_FORMAT", value))));
        Assert.Contains($"LOG_FORMAT='{value}' must be text or json.", fromAll.Message);
        Assert.Equal("Invalid settings: " + $"LOG_FORMAT='{value}' must be text or json.", alone.Message);
    }
}
