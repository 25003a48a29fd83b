using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>A server with a scrape key and a quick reconciler, for the metrics and durations endpoints.</summary>
public sealed class ObservabilityServer : ServerFixture
{
    public const string ScrapeKey = "scrape-key-for-tests-0123456789abcdef";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["METRICS_SCRAPE_KEY"] = ScrapeKey,
        ["RECONCILE_INTERVAL"] = "3s",
        ["MAX_STORES_PER_USER"] = "10",
    };
}

/// <summary>
/// GET /api/metrics (Prometheus text, parsed strictly) and GET /api/operations/durations over HTTP. The tests of this
/// class run one after another on one server, so counters are compared before and after each test's own operations.
/// </summary>
public sealed class ObservabilityTests(ObservabilityServer fixture) : IClassFixture<ObservabilityServer>
{
    private readonly TestServerProcess server = fixture.Server;
    private readonly HttpClient admin = fixture.Client;

    // Each fake CLI run is a python start; on a loaded 2-core machine that alone has taken seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private async Task<PrometheusText> ScrapeAsync(HttpClient? client = null)
    {
        using var scraper = client is null ? server.CreateClient(ObservabilityServer.ScrapeKey) : null;
        using var response = await (client ?? scraper!).GetAsync("/api/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/metrics answered {(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain(ObservabilityServer.ScrapeKey, text);
        Assert.DoesNotContain(server.AdminKey, text);
        return PrometheusText.Parse(text);
    }

    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the metrics never showed " + what);
            }

            await Task.Delay(200);
        }
    }

    private static double Operations(PrometheusText m, string operation, string result) =>
        m.Value("store_operations_total", ("operation", operation), ("result", result));

    private static double Durations(PrometheusText m, string operation, string result) =>
        m.Value("store_operation_duration_seconds_count", ("operation", operation), ("result", result));

    private static double CliRuns(PrometheusText m, string tool, string command, string exit) =>
        m.Value("store_cli_exec_duration_seconds_count", ("tool", tool), ("command", command), ("exit", exit));

    private async Task CreateAsync(string name, string user)
    {
        using var response = await admin.CreateAsync(name, user);
        await response.AssertAcceptedAsync(name);
    }

    [Fact]
    // Proves the scrape counts what happened: two installs READY, one FAILED (fake helm fails a release named fail*),
    // one delete, then a release removed by hand (drift, not an operation); the CLI histogram matches the fake helm's own record of its runs; store_info and
    // stores match the store list; the queue gauges return to 0; process/runtime series are there; no secret is in it.
    public async Task Metrics_count_operations_cli_runs_stores_and_drift()
    {
        var before = await ScrapeAsync();
        foreach (var type in new[] { "store_operations_total", "store_reconcile_runs_total", "store_drift_detected_total", "process_cpu_seconds_total", "dotnet_collection_count_total" })
        {
            Assert.Equal("counter", before.Types[type]);
        }

        foreach (var type in new[] { "store_operation_duration_seconds", "store_cli_exec_duration_seconds" })
        {
            Assert.Equal("histogram", before.Types[type]);
        }

        foreach (var type in new[] { "store_cluster_slots_in_use", "store_operations_waiting", "store_info", "stores", "process_working_set_bytes" })
        {
            Assert.Equal("gauge", before.Types[type]);
        }

        await CreateAsync("met-ready", "met-user-1");
        await CreateAsync("fail-met", "met-user-1");
        await CreateAsync("met-del", "met-user-2");
        Assert.Equal("READY", (await admin.WaitForStatusAsync("met-ready", ApiCalls.Terminal, Patience)).GetProperty("status").GetString());
        Assert.Equal("FAILED", (await admin.WaitForStatusAsync("fail-met", ApiCalls.Terminal, Patience)).GetProperty("status").GetString());
        Assert.Equal("READY", (await admin.WaitForStatusAsync("met-del", ApiCalls.Terminal, Patience)).GetProperty("status").GetString());
        using (var delete = await admin.DeleteAsync("/api/stores/met-del"))
        {
            await delete.AssertAcceptedAsync("met-del");
        }

        await admin.WaitUntilGoneAsync("met-del", Patience);

        // Someone runs `helm uninstall met-ready` by hand: the reconciler flags it (drift, not an operation run).
        File.Delete(Path.Combine(server.StateDirectory, "releases", "store-met-ready", "met-ready.json"));
        await admin.WaitForStatusAsync("met-ready", "FAILED", Patience);

        // Slots are released after the outcome is recorded; wait for the queue to drain (a condition, not a sleep).
        var after = await ScrapeUntilAsync(
            m => m.Value("store_cluster_slots_in_use") == 0 && m.Value("store_operations_waiting") == 0
                 && m.Value("store_reconcile_runs_total", ("result", "success")) > before.Value("store_reconcile_runs_total", ("result", "success")),
            "an empty cluster slot queue and a successful reconciler pass");

        Assert.Equal(2, Operations(after, "install", "succeeded") - Operations(before, "install", "succeeded"));
        Assert.Equal(1, Operations(after, "install", "failed") - Operations(before, "install", "failed"));
        Assert.Equal(1, Operations(after, "delete", "succeeded") - Operations(before, "delete", "succeeded"));
        Assert.Equal(0, Operations(after, "delete", "failed") - Operations(before, "delete", "failed"));
        Assert.Equal(2, Durations(after, "install", "succeeded") - Durations(before, "install", "succeeded"));
        Assert.Equal(1, Durations(after, "install", "failed") - Durations(before, "install", "failed"));
        Assert.True(after.Value("store_operation_duration_seconds_sum", ("operation", "install"), ("result", "succeeded")) > 0);
        Assert.Equal(1, after.Value("store_drift_detected_total", ("kind", "release")) - before.Value("store_drift_detected_total", ("kind", "release")));

        // Every helm upgrade the fake ran is in the histogram, by exit code; no label carries argv beyond the subcommand.
        var upgrades = server.FakeCli.Calls().Where(c => c.Tool == "helm" && c.Argv[0] == "upgrade" && c.Exit is not null).ToList();
        Assert.Equal(upgrades.Count(c => c.Exit == 0), CliRuns(after, "helm", "upgrade", "0"));
        Assert.Equal(upgrades.Count(c => c.Exit == 1), CliRuns(after, "helm", "upgrade", "1"));
        Assert.True(CliRuns(after, "kubectl", "apply", "0") >= 3);
        Assert.True(CliRuns(after, "kubectl", "delete", "0") >= 1);
        Assert.All(after.Series("store_cli_exec_duration_seconds_count"), s =>
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", s.Labels["command"]);
            Assert.Matches("^([0-9]+|timeout|missing|cancelled|error)$", s.Labels["exit"]);
        });

        // store_info: one series per store that exists, value 1, with its status and revision; stores: the counts.
        Assert.Equal(1, after.Value("store_info", ("store", "met-ready"), ("engine", "woocommerce"), ("status", "FAILED"), ("revision", "1")));
        Assert.Single(after.Series("store_info"), s => s.Labels["store"] == "fail-met" && s.Labels["status"] == "FAILED");
        Assert.DoesNotContain(after.Series("store_info"), s => s.Labels["store"] == "met-del");
        var list = (await admin.GetJsonAsync("/api/stores?limit=500")).EnumerateArray().ToList();
        Assert.Equal(list.Count, after.Series("store_info").Count());
        foreach (var status in new[] { "NEW", "PROVISIONING", "READY", "FAILED", "DELETING" })
        {
            Assert.Equal(
                list.Count(s => s.GetProperty("status").GetString() == status && s.GetProperty("engine").GetString() == "woocommerce"),
                after.Value("stores", ("status", status), ("engine", "woocommerce")));
        }

        Assert.True(after.Value("process_working_set_bytes") > 0);
    }

    [Fact]
    // Proves who may scrape: the scrape key, operators and admins; nobody else (401 without or with a wrong credential,
    // 403 for a user), each refusal problem+json; and the scrape key opens nothing but /api/metrics.
    public async Task Metrics_need_an_operator_or_the_scrape_key()
    {
        using (var anonymous = server.CreateClient(null))
        using (var response = await anonymous.GetAsync("/api/metrics"))
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "no credential");
        }

        var wrongKey = "scrape-key-for-tests-0123456789abcdeX";
        using (var wrong = server.CreateClient(wrongKey))
        using (var response = await wrong.GetAsync("/api/metrics"))
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "a wrong scrape key");
            Assert.DoesNotContain(wrongKey, problem.ToString());
        }

        using (var user = await server.ClientForAsync("met-scrape-user", "user"))
        using (var response = await user.GetAsync("/api/metrics"))
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "a user");
        }

        using (var operatorClient = await server.ClientForAsync("met-operator", "operator"))
        {
            await ScrapeAsync(operatorClient);
        }

        await ScrapeAsync(admin);

        using var scraper = server.CreateClient(ObservabilityServer.ScrapeKey);
        foreach (var path in new[] { "/api/stores", "/api/me", "/api/operations/durations", "/api/stores/metrics" })
        {
            using var response = await scraper.GetAsync(path);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "the scrape key on " + path);
        }

        Assert.DoesNotContain(ObservabilityServer.ScrapeKey, server.Log);
    }

    [Fact]
    // Proves GET /api/operations/durations: per operation with count, p50 and p95 from the finished runs, a user's own
    // stores only (operators see all), the queue cluster-wide, the window honoured, and a bad window 400 problem+json.
    public async Task Durations_are_per_operation_scoped_to_the_caller()
    {
        using var alice = await server.ClientForAsync("dur-alice", "user");
        using var bob = await server.ClientForAsync("dur-bob", "user");
        foreach (var (client, name) in new[] { (alice, "dur-a1"), (bob, "dur-b1") })
        {
            using var response = await client.PostAsync("/api/stores", ApiCalls.Json(new { storeName = name }));
            await response.AssertAcceptedAsync(name);
        }

        foreach (var name in new[] { "dur-a1", "dur-b1" })
        {
            Assert.Equal("READY", (await admin.WaitForStatusAsync(name, ApiCalls.Terminal, Patience)).GetProperty("status").GetString());
        }

        using (var upgrade = await alice.PostAsync("/api/stores/dur-a1/upgrade", ApiCalls.Json("""{"values":{}}""")))
        {
            await upgrade.AssertAcceptedAsync("dur-a1");
        }

        await admin.WaitForStatusAsync("dur-a1", ApiCalls.Terminal, Patience);

        var mine = await alice.GetJsonAsync("/api/operations/durations");
        var since = DateTimeOffset.Parse(mine.GetProperty("since").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.Equal(["install", "upgrade"], mine.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()));
        var install = mine.GetProperty("operations")[0];
        Assert.Equal(1, install.GetProperty("count").GetInt32());
        Assert.True(install.GetProperty("p50Seconds").GetDouble() > 0);
        Assert.True(install.GetProperty("p95Seconds").GetDouble() >= install.GetProperty("p50Seconds").GetDouble());
        Assert.Equal(1, mine.GetProperty("operations")[1].GetProperty("count").GetInt32());
        var queue = mine.GetProperty("queue");
        Assert.Equal(2, queue.GetProperty("capacity").GetInt32());
        Assert.True(queue.GetProperty("waiting").GetInt32() >= 0 && queue.GetProperty("inUse").GetInt32() is >= 0 and <= 2);

        var bobs = await bob.GetJsonAsync("/api/operations/durations?window=1h");
        Assert.Equal(1, Assert.Single(bobs.GetProperty("operations").EnumerateArray()).GetProperty("count").GetInt32());

        // An admin sees every store's runs (this server's other tests included), so at least these.
        var all = await admin.GetJsonAsync("/api/operations/durations?window=7d");
        Assert.True(all.GetProperty("operations").EnumerateArray().Single(o => o.GetProperty("operation").GetString() == "install").GetProperty("count").GetInt32() >= 2);

        foreach (var window in new[] { "0h", "8d", "169h", "24", "1w", "abc", "", "1h&window=2h" })
        {
            using var response = await alice.GetAsync("/api/operations/durations?window=" + window);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "window=" + window);
            ApiCalls.AssertFieldError(problem, "window");
        }
    }
}
