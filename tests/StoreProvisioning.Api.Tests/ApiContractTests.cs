using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>Every route and error case of the API table (issue 2), over real HTTP against the test server.</summary>
public sealed class ApiContractTests(DefaultServer fixture) : IClassFixture<DefaultServer>
{
    private static readonly Regex IsoUtc = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$");
    private readonly HttpClient client = fixture.Client;

    [Fact]
    // Proves POST /api/stores answers 202, Location /api/stores/{name} and the full store shape in state NEW.
    public async Task Create_answers_202_with_location_and_the_new_store()
    {
        using var response = await client.CreateAsync("contract-acme", "contract-alice");
        var store = await response.AssertAcceptedAsync("contract-acme");

        Assert.False(string.IsNullOrEmpty(store.GetProperty("id").GetString()));
        Assert.Equal("contract-alice", store.GetProperty("userId").GetString());
        Assert.Equal("woocommerce", store.GetProperty("engine").GetString());
        Assert.Equal("NEW", store.GetProperty("status").GetString());
        Assert.Equal("install", store.GetProperty("operation").GetString());
        Assert.Equal("store-contract-acme", store.GetProperty("namespace").GetString());
        Assert.Equal("http://contract-acme.localhost:8080", store.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, store.GetProperty("revision").ValueKind);
        Assert.Equal(JsonValueKind.Null, store.GetProperty("error").ValueKind);
        Assert.Equal(["delete", "cancel"], store.GetProperty("actions").EnumerateArray().Select(a => a.GetString())); // a NEW store can only be deleted, or its queued install cancelled
        Assert.Matches(IsoUtc, store.GetProperty("createdAt").GetString());
        Assert.Matches(IsoUtc, store.GetProperty("updatedAt").GetString());

        var ready = await client.WaitForStatusAsync("contract-acme", "READY");
        Assert.Equal(store.GetProperty("id").GetString(), ready.GetProperty("id").GetString());
        Assert.Equal(["upgrade", "delete"], ready.GetProperty("actions").EnumerateArray().Select(a => a.GetString())); // no earlier revision to roll back to
    }

    [Fact]
    // Proves engine "medusa" is accepted and kept.
    public async Task Create_with_medusa_engine_keeps_the_engine()
    {
        using var response = await client.CreateAsync("contract-medusa", "contract-mel", "medusa");
        var store = await response.AssertAcceptedAsync("contract-medusa");
        Assert.Equal("medusa", store.GetProperty("engine").GetString());
        Assert.Equal("medusa", (await client.WaitForStatusAsync("contract-medusa", ApiCalls.Terminal)).GetProperty("engine").GetString());
    }

    [Fact]
    // Proves a missing body and missing fields are 400 problems naming storeName and userId.
    public async Task Create_without_fields_is_400_naming_each_field()
    {
        using var empty = await client.PostAsync("/api/stores", ApiCalls.Json("{}"));
        var problem = await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        ApiCalls.AssertFieldError(problem, "storeName");
        ApiCalls.AssertFieldError(problem, "userId");

        using var none = await client.PostAsync("/api/stores", null);
        var noneProblem = await none.AssertProblemAsync(HttpStatusCode.BadRequest);
        ApiCalls.AssertFieldError(noneProblem, "storeName");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Acme")]
    [InlineData("1acme")]
    [InlineData("acme-")]
    [InlineData("ac_me")]
    [InlineData("ac.me")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx")]
    [InlineData("metrics")]
    [InlineData("activity")]
    [InlineData("health")]
    [InlineData("")]
    // Proves names outside the DNS-1123 rule (3..40, ^[a-z]([-a-z0-9]*[a-z0-9])?$) and reserved names are 400 on storeName.
    public async Task Create_with_an_invalid_or_reserved_name_is_400_on_storeName(string name)
    {
        using var response = await client.CreateAsync(name, "contract-names");
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, name), "storeName");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bob smith")]
    [InlineData("bob/smith")]
    [InlineData("bob;rm")]
    [InlineData("ünïcode")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    // Proves userId outside 1..64 of [A-Za-z0-9._@-] is 400 on userId.
    public async Task Create_with_an_invalid_user_is_400_on_userId(string user)
    {
        using var response = await client.CreateAsync("contract-user-check", user);
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, user), "userId");
    }

    [Fact]
    // Proves a valid userId with every allowed character class is accepted.
    public async Task Create_accepts_a_user_id_with_dots_at_and_dashes()
    {
        using var response = await client.CreateAsync("contract-userchars", "Jane.Doe-1@example.com");
        await response.AssertAcceptedAsync("contract-userchars");
    }

    [Theory]
    [InlineData("\"mysql\"")]
    [InlineData("\"WooCommerce\"")]
    [InlineData("42")]
    [InlineData("\"\"")]
    // Proves an unknown engine or an engine of the wrong type is 400 on engine.
    public async Task Create_with_an_unknown_engine_is_400_on_engine(string engineJson)
    {
        using var response = await client.PostAsync("/api/stores", ApiCalls.Json($$"""{"storeName":"contract-engine","userId":"contract-eng","engine":{{engineJson}}}"""));
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, engineJson), "engine");
    }

    [Fact]
    // Proves a second store with a taken name is 400 naming storeName, whoever asks.
    public async Task Create_with_a_taken_name_is_400_on_storeName()
    {
        using var first = await client.CreateAsync("contract-dup", "contract-dup-a");
        await first.AssertAcceptedAsync("contract-dup");
        using var second = await client.CreateAsync("contract-dup", "contract-dup-b");
        ApiCalls.AssertFieldError(await second.AssertProblemAsync(HttpStatusCode.BadRequest), "storeName");
    }

    [Fact]
    // Proves the MAX_STORES_PER_USER+1-th store of a user is 403 with an explanation, and other users are unaffected.
    public async Task A_users_fourth_store_is_403()
    {
        for (var i = 1; i <= 3; i++)
        {
            using var ok = await client.CreateAsync($"contract-quota-{i}", "contract-quota");
            await ok.AssertAcceptedAsync($"contract-quota-{i}");
        }

        using var refused = await client.CreateAsync("contract-quota-4", "contract-quota");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("contract-quota", problem.GetProperty("detail").GetString());

        using var other = await client.CreateAsync("contract-quota-5", "contract-quota-other");
        await other.AssertAcceptedAsync("contract-quota-5");
    }

    [Theory]
    [InlineData("{\"storeName\":\"contract-json\",")]
    [InlineData("not json")]
    [InlineData("{'storeName':'contract-json'}")]
    [InlineData("{\"storeName\":\"contract-json\",\"userId\":\"x\"} trailing")]
    // Proves malformed JSON is a 400 problem.
    public async Task Malformed_json_is_400(string body)
    {
        using var response = await client.PostAsync("/api/stores", ApiCalls.Json(body));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, body);
    }

    [Theory]
    [InlineData("{\"storeName\":x}", "'x' is an invalid start of a value (line 1, column 14).")]
    [InlineData("{\n  \"storeName\": \"contract-json\",\n  \"userId\": x\n}", "(line 3, column 13).")]
    [InlineData("{\"caf\u00e9\":x}", "(line 1, column 9).")]
    // Proves the malformed-JSON message points at the error as an editor would (1-based line and character column),
    // with nothing from the parser's internals.
    public async Task Malformed_json_says_where_in_the_body(string body, string expected)
    {
        using var response = await client.PostAsync("/api/stores", ApiCalls.Json(body));
        var detail = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, body)).GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", detail, StringComparison.Ordinal);
    }

    [Fact]
    // Proves problem texts quote names as people write them, not as HTML-safe JSON escapes.
    public async Task Problem_texts_are_not_html_escaped()
    {
        using var missing = await client.GetAsync("/api/stores/contract-nobody");
        var body = await missing.Content.ReadAsStringAsync();
        Assert.Contains("'contract-nobody'", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"storeName":123,"userId":"x"}""", "storeName")]
    [InlineData("""{"storeName":["contract-types"],"userId":"x"}""", "storeName")]
    [InlineData("""{"storeName":"contract-types","userId":true}""", "userId")]
    [InlineData("""{"storeName":"contract-types","userId":"x","extra":1}""", "extra")]
    // Proves wrong types and unknown fields are 400 naming the field.
    public async Task Wrong_types_are_400_naming_the_field(string body, string field)
    {
        using var response = await client.PostAsync("/api/stores", ApiCalls.Json(body));
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, body), field);
    }

    [Fact]
    // Proves a body over 64 KiB is refused with 413 problem+json (not an empty answer), declared or chunked.
    public async Task Oversized_body_is_413()
    {
        var big = "{\"storeName\":\"contract-big\",\"userId\":\"" + new string('a', 70 * 1024) + "\"}";
        using var declared = await client.PostAsync("/api/stores", ApiCalls.Json(big));
        await declared.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stores")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big))),
        };
        request.Content.Headers.ContentType = ApiCalls.MediaType("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(request);
        await chunked.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    // Proves GET /api/stores lists newest first and filters by userId and status.
    public async Task List_is_newest_first_and_filters()
    {
        foreach (var name in new[] { "contract-list-a", "contract-list-b", "contract-list-c" })
        {
            using var created = await client.CreateAsync(name, "contract-lister");
            await created.AssertAcceptedAsync(name);
            await Task.Delay(1100); // createdAt has one-second resolution on the wire
        }

        var mine = (await client.GetJsonAsync("/api/stores?userId=contract-lister")).EnumerateArray().ToList();
        Assert.Equal(["contract-list-c", "contract-list-b", "contract-list-a"], mine.Select(s => s.GetProperty("name").GetString()));
        Assert.All(mine, s => Assert.Equal("contract-lister", s.GetProperty("userId").GetString()));

        var all = (await client.GetJsonAsync("/api/stores")).EnumerateArray().Select(s => s.GetProperty("createdAt").GetString()!).ToList();
        Assert.Equal(all.OrderByDescending(t => t, StringComparer.Ordinal), all);

        await client.WaitForStatusAsync("contract-list-a", "READY");
        var ready = (await client.GetJsonAsync("/api/stores?status=READY")).EnumerateArray().ToList();
        Assert.Contains(ready, s => s.GetProperty("name").GetString() == "contract-list-a");
        Assert.All(ready, s => Assert.Equal("READY", s.GetProperty("status").GetString()));

        Assert.Empty((await client.GetJsonAsync("/api/stores?userId=contract-nobody")).EnumerateArray());
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("status=", "status")]
    [InlineData("userId=bob%20smith", "userId")]
    [InlineData("userId=", "userId")]
    // Proves a bad list filter is 400 naming the filter.
    public async Task List_with_a_bad_filter_is_400(string query, string field)
    {
        using var response = await client.GetAsync("/api/stores?" + query);
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, query), field);
    }

    [Fact]
    // Proves GET /api/stores pages: the body stays an array of at most `limit` stores, the next page's URL comes in an
    // RFC 8288 Link header (absent on the last page), and following it visits every store once, newest first.
    public async Task List_pages_follow_the_link_header()
    {
        foreach (var name in new[] { "contract-page-a", "contract-page-b", "contract-page-c" })
        {
            using var created = await client.CreateAsync(name, "contract-pager");
            await created.AssertAcceptedAsync(name);
        }

        var seen = new List<string>();
        var next = "/api/stores?userId=contract-pager&limit=2";
        var pages = 0;
        while (next is not null)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.BodyAsync()).EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page);
            pages++;
            next = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var match = System.Text.RegularExpressions.Regex.Match(Assert.Single(links), "^<([^>]+)>; rel=\"next\"$");
                Assert.True(match.Success, "Link must be <url>; rel=\"next\"");
                next = match.Groups[1].Value;
                Assert.StartsWith("/api/stores?", next);
                Assert.Contains("userId=contract-pager", next);
            }
        }

        Assert.Equal(2, pages);
        Assert.Equal(["contract-page-c", "contract-page-b", "contract-page-a"], seen);

        using var whole = await client.GetAsync("/api/stores?userId=contract-pager");
        Assert.False(whole.Headers.Contains("Link"));
        Assert.Equal(3, (await whole.BodyAsync()).GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("cursor=", "cursor")]
    // Proves a bad page size or a cursor this API did not issue is 400 naming the parameter.
    public async Task List_with_a_bad_limit_or_cursor_is_400(string query, string field)
    {
        using var response = await client.GetAsync("/api/stores?" + query);
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, query), field);
    }

    [Fact]
    // Proves an edited cursor, or one carried over to another filter, is refused with 400 instead of listing something.
    public async Task A_tampered_or_reused_cursor_is_400()
    {
        foreach (var name in new[] { "contract-cursor-a", "contract-cursor-b" })
        {
            using var created = await client.CreateAsync(name, "contract-cursor");
            await created.AssertAcceptedAsync(name);
        }

        using var first = await client.GetAsync("/api/stores?userId=contract-cursor&limit=1");
        var link = Assert.Single(first.Headers.GetValues("Link"));
        var cursor = System.Text.RegularExpressions.Regex.Match(link, "cursor=([^&>]+)").Groups[1].Value;
        Assert.NotEmpty(cursor);

        var tampered = cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];
        using var edited = await client.GetAsync($"/api/stores?userId=contract-cursor&limit=1&cursor={tampered}");
        ApiCalls.AssertFieldError(await edited.AssertProblemAsync(HttpStatusCode.BadRequest, "edited cursor"), "cursor");

        using var reused = await client.GetAsync($"/api/stores?userId=contract-other&limit=1&cursor={cursor}");
        ApiCalls.AssertFieldError(await reused.AssertProblemAsync(HttpStatusCode.BadRequest, "cursor of another filter"), "cursor");

        using var valid = await client.GetAsync($"/api/stores?userId=contract-cursor&limit=1&cursor={cursor}");
        Assert.Equal(["contract-cursor-a"], (await valid.BodyAsync()).EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    // Proves GET /api/stores/{name} is 200 for a store and 404 problem for an unknown one.
    public async Task Get_is_200_or_404()
    {
        using var created = await client.CreateAsync("contract-get", "contract-getter");
        await created.AssertAcceptedAsync("contract-get");
        var store = await client.GetJsonAsync("/api/stores/contract-get");
        Assert.Equal("contract-get", store.GetProperty("name").GetString());

        using var missing = await client.GetAsync("/api/stores/contract-missing");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("DELETE", "/api/stores/contract-nothing")]
    [InlineData("POST", "/api/stores/contract-nothing/upgrade")]
    [InlineData("POST", "/api/stores/contract-nothing/rollback")]
    [InlineData("POST", "/api/stores/contract-nothing/retry")]
    // Proves every operation on an unknown store is a 404 problem.
    public async Task Operations_on_an_unknown_store_are_404(string method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    // Proves retry of a store that is not FAILED is 400, and rollback without an earlier revision is 400.
    public async Task Retry_unless_failed_and_rollback_without_history_are_400()
    {
        using var created = await client.CreateAsync("contract-ready", "contract-ready");
        await created.AssertAcceptedAsync("contract-ready");
        await client.WaitForStatusAsync("contract-ready", "READY");

        using var retry = await client.PostAsync("/api/stores/contract-ready/retry", null);
        await retry.AssertProblemAsync(HttpStatusCode.BadRequest);

        using var rollback = await client.PostAsync("/api/stores/contract-ready/rollback", null);
        await rollback.AssertProblemAsync(HttpStatusCode.BadRequest);

        using var rollbackForward = await client.PostAsync("/api/stores/contract-ready/rollback", ApiCalls.Json("""{"revision":5}"""));
        await rollbackForward.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("READY", (await client.GetJsonAsync("/api/stores/contract-ready")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/stores/metrics")]
    [InlineData("/api/stores/activity")]
    [InlineData("/api/health")]
    [InlineData("/api/health/details")]
    // Proves the literal routes win over stores/{name}: these answer their own shape, not "store not found".
    public async Task Literal_routes_win_over_the_store_route(string path)
    {
        var body = await client.GetJsonAsync(path);
        Assert.NotEqual(JsonValueKind.Undefined, body.ValueKind);
        if (path.EndsWith("metrics", StringComparison.Ordinal))
        {
            Assert.True(body.TryGetProperty("activeStores", out _));
        }
        else if (path.EndsWith("activity", StringComparison.Ordinal))
        {
            Assert.Equal(JsonValueKind.Array, body.ValueKind);
        }
    }

    [Fact]
    // Proves GET /api/stores/metrics has every counter of the contract and agrees with the store list and the audit log.
    public async Task Metrics_agree_with_the_stores_and_the_activity()
    {
        using var created = await client.CreateAsync("contract-metrics", "contract-metrics");
        await created.AssertAcceptedAsync("contract-metrics");
        await client.WaitForStatusAsync("contract-metrics", "READY");
        using var upgrade = await client.PostAsync("/api/stores/contract-metrics/upgrade", null);
        await upgrade.AssertAcceptedAsync("contract-metrics");
        await client.WaitForStatusAsync("contract-metrics", "READY");

        // Other tests of this class run at the same time: compare snapshots taken while nothing of ours moves, and retry once.
        for (var attempt = 0; ; attempt++)
        {
            var metrics = await client.GetJsonAsync("/api/stores/metrics");
            var stores = (await client.GetJsonAsync("/api/stores")).EnumerateArray().Select(s => s.GetProperty("status").GetString()).ToList();
            var activity = await client.ActivityAsync(limit: 500);
            var again = await client.GetJsonAsync("/api/stores/metrics");
            if (metrics.GetRawText() != again.GetRawText() && attempt < 5)
            {
                await Task.Delay(500);
                continue;
            }

            foreach (var field in new[] { "activeStores", "provisioning", "failed", "upgrades", "rollbacks", "retries" })
            {
                Assert.Equal(JsonValueKind.Number, metrics.GetProperty(field).ValueKind);
            }

            if (attempt < 5 && (metrics.GetProperty("activeStores").GetInt32() != stores.Count(s => s == "READY")
                || metrics.GetProperty("provisioning").GetInt32() != stores.Count(s => s is "NEW" or "PROVISIONING")))
            {
                await Task.Delay(500);
                continue;
            }

            Assert.Equal(stores.Count(s => s == "READY"), metrics.GetProperty("activeStores").GetInt32());
            Assert.Equal(stores.Count(s => s is "NEW" or "PROVISIONING"), metrics.GetProperty("provisioning").GetInt32());
            Assert.Equal(stores.Count(s => s == "FAILED"), metrics.GetProperty("failed").GetInt32());
            Assert.True(metrics.GetProperty("upgrades").GetInt32() >= 1);
            if (activity.Count < 500)
            {
                Assert.Equal(activity.Count(a => a.GetProperty("action").GetString() == "upgrade.requested"), metrics.GetProperty("upgrades").GetInt32());
                Assert.Equal(activity.Count(a => a.GetProperty("action").GetString() == "rollback.requested"), metrics.GetProperty("rollbacks").GetInt32());
                Assert.Equal(activity.Count(a => a.GetProperty("action").GetString() == "retry.requested"), metrics.GetProperty("retries").GetInt32());
            }

            break;
        }
    }

    [Fact]
    // Proves GET /api/stores/activity has the contract's shape, is newest first, honours limit and store, default 50.
    public async Task Activity_is_newest_first_and_honours_limit_and_store()
    {
        using var created = await client.CreateAsync("contract-activity", "contract-act");
        await created.AssertAcceptedAsync("contract-activity");
        await client.WaitForStatusAsync("contract-activity", "READY");

        var mine = await client.ActivityAsync("contract-activity");
        Assert.NotEmpty(mine);
        Assert.All(mine, a => Assert.Equal("contract-activity", a.GetProperty("storeName").GetString()));
        var first = mine[^1];
        Assert.Equal("create.requested", first.GetProperty("action").GetString());
        Assert.Equal("contract-act", first.GetProperty("userId").GetString());
        Assert.Matches(IsoUtc, first.GetProperty("timestamp").GetString());
        Assert.True(first.TryGetProperty("detail", out _));
        Assert.Contains(mine, a => a.GetProperty("action").GetString() == "install.succeeded");

        var ids = mine.Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderByDescending(i => i), ids);

        var one = await client.ActivityAsync("contract-activity", limit: 1);
        Assert.Single(one);
        Assert.Equal(ids[0], one[0].GetProperty("id").GetInt64());

        var defaults = (await client.GetJsonAsync("/api/stores/activity")).EnumerateArray().Count();
        Assert.True(defaults <= 50);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("store=Bad%20Name", "store")]
    // Proves a bad activity limit or store filter is 400 naming it.
    public async Task Activity_with_a_bad_query_is_400(string query, string field)
    {
        using var response = await client.GetAsync("/api/stores/activity?" + query);
        ApiCalls.AssertFieldError(await response.AssertProblemAsync(HttpStatusCode.BadRequest, query), field);
    }

    [Fact]
    // Proves GET /api/health/details (operators) is 200 with database, helm, kubectl and cluster each having a status and a message.
    public async Task Health_reports_each_component()
    {
        using var response = await client.GetAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = await response.BodyAsync();
        foreach (var component in new[] { "database", "helm", "kubectl", "cluster" })
        {
            var check = health.GetProperty(component);
            Assert.Equal("ok", check.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("message").GetString()));
        }
    }

    [Fact]
    // Proves health says when helm, kubectl and the cluster are the simulated ones from tests/fakes, so a demo is never
    // mistaken for a cluster.
    public async Task Health_says_when_the_clis_are_fakes()
    {
        var health = await client.GetJsonAsync("/api/health/details");
        foreach (var component in new[] { "helm", "kubectl", "cluster" })
        {
            var message = health.GetProperty(component).GetProperty("message").GetString();
            Assert.Contains("(FAKE: tests/fakes - simulated", message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("FAKE", health.GetProperty("database").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/stores/contract-x/nothing", HttpStatusCode.NotFound)]
    [InlineData("GET", "/nothing", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/api/stores", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PATCH", "/api/stores/contract-x", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/stores/contract-x/upgrade", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/api/stores/metrics", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/api/health", HttpStatusCode.MethodNotAllowed)]
    // Proves unknown routes are 404 and known routes with a wrong method are 405 (with Allow), both problem+json.
    public async Task Unknown_routes_and_methods_are_problems(string method, string path, HttpStatusCode status)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.AssertProblemAsync(status);
        if (status == HttpStatusCode.MethodNotAllowed)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }
}
