using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// Issue 10 over real HTTP: upgrade values outside the tenant boundary are refused with 400 problem+json naming each
/// key, before any helm or kubectl call; GET /api/catalog lists what a tenant may choose; an accepted upgrade reaches
/// helm as catalog values, after the platform's isolation.
/// </summary>
public sealed class TenantBoundaryTests(TenantBoundaryServer fixture) : IClassFixture<TenantBoundaryServer>
{
    private readonly HttpClient client = fixture.Client;
    private readonly TestServerProcess server = fixture.Server;

    private async Task ReadyAsync(string name, string user, string? engine = null)
    {
        using var created = await client.CreateAsync(name, user, engine);
        await created.AssertAcceptedAsync(name);
        await client.WaitForStatusAsync(name, "READY");
    }

    // Each kind of disallowed key (image, securityContext, isolation switches, service type, annotations, unknown
    // keys, control-plane keys), a version outside the catalog and a plan that does not exist: 400 problem+json with
    // an errors entry for that key, no CLI call, the store unchanged.
    [Theory]
    [InlineData("""{"image":{"repository":"evil/miner","tag":"latest"}}""", "values.image")]
    [InlineData("""{"mariadb":{"image":{"tag":"5.5"}}}""", "values.mariadb.image")]
    [InlineData("""{"securityContext":{"runAsUser":0,"privileged":true}}""", "values.securityContext")]
    [InlineData("""{"networkPolicy":{"enabled":false}}""", "values.networkPolicy")]
    [InlineData("""{"quota":{"enabled":false},"limitRange":{"enabled":false}}""", "values.quota", "values.limitRange")]
    [InlineData("""{"service":{"type":"LoadBalancer"}}""", "values.service.type")]
    [InlineData("""{"ingress":{"annotations":{"nginx.ingress.kubernetes.io/configuration-snippet":"return 200;"}}}""", "values.ingress.annotations")]
    [InlineData("""{"fooBar":1,"resources":{"limits":{"cpu":"64"}}}""", "values.fooBar", "values.resources")]
    [InlineData("""{"store":{"host":"evil.example"},"credentials":{"adminPassword":"x"}}""", "values.store", "values.credentials")]
    [InlineData("""{"version":"4.9"}""", "values.version")]
    [InlineData("""{"plan":"unlimited"}""", "values.plan")]
    [InlineData("""{"plan":"medium","storeTitle":"ok","image":{"tag":"x"}}""", "values.image")]
    public async Task Disallowed_values_are_refused_before_any_cli_call(string values, params string[] fields)
    {
        var name = "tb-" + Math.Abs(values.GetHashCode(StringComparison.Ordinal) % 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ReadyAsync(name, name);
        var before = await client.GetJsonAsync($"/api/stores/{name}");
        var calls = server.FakeCli.CallsSnapshot();

        // The store's owner (role user) asks: the tenant boundary is what a tenant may send.
        using var owner = await server.ClientForAsync(name);
        using var response = await owner.PostAsync($"/api/stores/{name}/upgrade", ApiCalls.Json($$"""{"values":{{values}}}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, values);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors);
        Assert.Equal(calls, server.FakeCli.CallsSnapshot());
        var after = await client.GetJsonAsync($"/api/stores/{name}");
        Assert.Equal(before.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.Equal("READY", after.GetProperty("status").GetString());
    }

    // The catalog lists engines with their approved versions and the settings a store owner may send, and the plans.
    [Fact]
    public async Task Catalog_lists_engines_plans_and_versions()
    {
        var catalog = await client.GetJsonAsync("/api/catalog");
        Assert.Equal("small", catalog.GetProperty("defaultPlan").GetString());
        Assert.Equal(["small", "medium", "large"], catalog.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var engines = catalog.GetProperty("engines").EnumerateArray().ToDictionary(e => e.GetProperty("engine").GetString()!);
        Assert.Equal(["6.8", "6.7"], engines["woocommerce"].GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(["plan", "version", "storeTitle"], engines["woocommerce"].GetProperty("settings").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("2.21", engines["medusa"].GetProperty("defaultVersion").GetString());
        Assert.Contains("replicas", engines["medusa"].GetProperty("settings").EnumerateArray().Select(s => s.GetString()));
    }

    // An accepted tenant upgrade: the platform chart is rendered and applied before the release, with the new plan;
    // the release is rendered with the same values and checked before helm applies it; helm gets the catalog's
    // image for the chosen version and the title.
    [Fact]
    public async Task Accepted_upgrade_applies_isolation_then_catalog_values()
    {
        const string name = "tb-upgrade";
        await ReadyAsync(name, name);
        var start = server.FakeCli.Calls().Count;

        using var response = await client.PostAsync($"/api/stores/{name}/upgrade", ApiCalls.Json("""{"values":{"plan":"medium","version":"6.7","storeTitle":"Acme Coffee"}}"""));
        await response.AssertAcceptedAsync(name);
        await client.WaitForStatusAsync(name, "READY");

        var steps = server.FakeCli.Calls().Skip(start).Select(c => $"{c.Tool} {c.Argv[0]} {(c.Argv.Length > 1 ? c.Argv[1] : string.Empty)}".Trim()).ToList();
        var platformRender = steps.IndexOf($"helm template {name}");
        var apply = steps.FindIndex(s => s.StartsWith("kubectl apply", StringComparison.Ordinal));
        var releaseRender = steps.FindLastIndex(s => s == $"helm template {name}");
        var upgrade = steps.FindIndex(s => s.StartsWith("helm upgrade", StringComparison.Ordinal));
        Assert.True(platformRender >= 0 && platformRender < apply && apply < releaseRender && releaseRender < upgrade, string.Join(" | ", steps));
        var templates = server.FakeCli.Calls().Skip(start).Where(c => c.Argv[0] == "template").ToList();
        Assert.EndsWith("store-namespace", templates[0].Argv[2], StringComparison.Ordinal);
        Assert.Contains(templates[0].Argv, a => a.EndsWith("plans/medium.yaml", StringComparison.Ordinal));

        using var ns = JsonDocument.Parse(File.ReadAllText(Path.Combine(server.StateDirectory, "namespaces", $"store-{name}.json")));
        var labels = ns.RootElement.GetProperty("labels");
        Assert.Equal("medium", labels.GetProperty("store-provisioning.io/plan").GetString());
        Assert.Equal("restricted", labels.GetProperty("pod-security.kubernetes.io/enforce").GetString());
        Assert.Equal(32, labels.GetProperty("store-provisioning.io/store-id").GetString()!.Length);
        Assert.True(File.Exists(Path.Combine(server.StateDirectory, "objects", $"store-{name}", "NetworkPolicy.store-default-deny.json")));

        using var overrides = JsonDocument.Parse(File.ReadAllText(Path.Combine(server.StateDirectory, "values", $"{name}-1.json")));
        Assert.Equal("6.7.2-php8.3-apache", overrides.RootElement.GetProperty("image").GetProperty("tag").GetString());
        Assert.Equal("Acme Coffee", overrides.RootElement.GetProperty("setup").GetProperty("storeTitle").GetString());
        Assert.Equal("10Gi", overrides.RootElement.GetProperty("persistence").GetProperty("size").GetString());
    }
}
