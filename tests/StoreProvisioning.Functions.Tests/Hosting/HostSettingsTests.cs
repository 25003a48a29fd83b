using System.Text.Json;
using Microsoft.Extensions.Configuration;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>host.json, local.settings.sample.json, the options code and the README describe the same settings.</summary>
public sealed class HostSettingsTests
{
    private const string HostConcurrencySetting = "AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions";

    private static readonly JsonElement Host = Parse("host.json");
    private static readonly JsonElement SampleValues = Parse("local.settings.sample.json").GetProperty("Values");

    // The host runs 2 x PROVISION_CONCURRENCY + 2 activities at once: the slot holders' cluster steps, the database-only
    // steps beside them (records, checks) and the queue's claims and releases, so none of those waits behind a helm run
    // (README, "Concurrency"). host.json and the sample's app-setting override of it say the same.
    [Fact]
    public void Concurrency_settings_agree()
    {
        var hostLimit = Host.GetProperty("extensions").GetProperty("durableTask").GetProperty("maxConcurrentActivityFunctions").GetInt32();
        var concurrency = Options(SampleValues).ProvisionConcurrency;
        Assert.Equal(concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), SampleValues.GetProperty("PROVISION_CONCURRENCY").GetString());
        Assert.Equal((2 * concurrency) + 2, hostLimit);
        Assert.Equal(hostLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), SampleValues.GetProperty(HostConcurrencySetting).GetString());
    }

    // The host picks up only orchestrations no newer than its defaultVersion (versionMatchStrategy CurrentOrOlder, the
    // default): it must be the version the launcher starts operations at, or the host would refuse its own operations.
    [Fact]
    public void Default_version_is_the_version_operations_start_at()
    {
        var durable = Host.GetProperty("extensions").GetProperty("durableTask");
        Assert.Equal(OrchestrationVersions.Current, durable.GetProperty("defaultVersion").GetString());
        Assert.False(durable.TryGetProperty("versionMatchStrategy", out _), "the host's default (CurrentOrOlder) is the one the test server mirrors");
        Assert.Equal(OrchestrationVersions.Current, OperationLauncher.StartOptions("x").Version);
    }

    // The routes in functions.metadata are relative; the contract's /api prefix comes from host.json.
    [Fact]
    public void Routes_are_served_under_api()
    {
        Assert.Equal("api", Host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    // Every setting the app reads has an entry in the sample, so a new developer sees it, and the sample parses.
    [Theory]
    [InlineData("SQLITE_PATH")]
    [InlineData("STORE_DATABASE")]
    [InlineData("POSTGRES_CONNECTION")]
    [InlineData("AUDIT_RETENTION_DAYS")]
    [InlineData("HELM_PATH")]
    [InlineData("KUBECTL_PATH")]
    [InlineData("CHARTS_ROOT")]
    [InlineData("STORE_DOMAIN")]
    [InlineData("STORE_URL_TEMPLATE")]
    [InlineData("HELM_TIMEOUT")]
    [InlineData("PROVISION_CONCURRENCY")]
    [InlineData("MAX_STORES_PER_USER")]
    [InlineData("MAX_STORES_TOTAL")]
    [InlineData("AUTH_MODE")]
    [InlineData("BOOTSTRAP_ADMIN_KEY")]
    [InlineData("METRICS_SCRAPE_KEY")]
    [InlineData("RATE_LIMIT_WRITES_PER_MINUTE")]
    [InlineData("AUTH_AUTHORITY")]
    [InlineData("AUTH_AUDIENCE")]
    [InlineData("AUTH_CLIENT_ID")]
    [InlineData("RECONCILE_SCHEDULE")]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    public void Sample_declares_each_setting(string key)
    {
        Assert.True(SampleValues.TryGetProperty(key, out _), $"local.settings.sample.json lacks {key}.");
    }

    // The sample's values are the documented defaults: starting from it behaves like starting with no settings.
    [Fact]
    public void Sample_values_are_the_defaults()
    {
        var fromSample = Options(SampleValues);
        var defaults = Options(default);
        Assert.Equal(defaults with { SqlitePath = fromSample.SqlitePath, ChartsRoot = fromSample.ChartsRoot }, fromSample);
        Assert.Equal("dotnet-isolated", SampleValues.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
    }

    // The README's settings table names every setting of the sample (the README stays true).
    [Fact]
    public void Readme_documents_every_sample_setting()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        var undocumented = SampleValues.EnumerateObject().Select(p => p.Name)
            .Where(key => key != "FUNCTIONS_WORKER_RUNTIME" && !readme.Contains($"`{key}`", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(undocumented);
    }

    private static StoreProvisioningOptions Options(JsonElement values)
    {
        var pairs = values.ValueKind == JsonValueKind.Object
            ? values.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, p.Value.GetString()))
            : [];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        return StoreProvisioningOptions.FromConfiguration(configuration, RepositoryFiles.Root);
    }

    private static JsonElement Parse(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path(file)));
        return document.RootElement.Clone();
    }
}
