using System.Text;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// Hostile input (issue 5): hundreds of generated bad requests are all refused with a 4xx problem+json, and none of
/// them reaches helm, kubectl or the database.
/// </summary>
public sealed class HostileInputTests(HostileInputServer fixture, ITestOutputHelper output) : IClassFixture<HostileInputServer>
{
    private const string Ready = "hostile-ready";
    private const string Failed = "fail-hostile";

    private readonly HttpClient client = fixture.Client;
    private readonly TestServerProcess server = fixture.Server;

    /// <summary>One generated bad request.</summary>
    /// <param name="RefusedByKestrel">
    /// A NUL (%00) in the URL path is refused by Kestrel itself with an empty 400 before any application code runs —
    /// the same in the Functions host, which is Kestrel too — so only "4xx and nothing happened" can be asked of it.
    /// </param>
    private sealed record Bad(string Why, string Method, string Path, byte[]? Body = null, string? ContentType = "application/json", bool RefusedByKestrel = false);

    [Fact]
    // Proves ≥200 bad requests (metacharacters, unicode, traversal, huge/deep bodies, wrong types, duplicate keys, NUL, wrong methods/content types, malformed JSON) are all 4xx problem+json, with zero CLI calls and an unchanged database.
    public async Task Bad_requests_are_refused_and_change_nothing()
    {
        await SeedAsync();
        var calls = server.FakeCli.CallsSnapshot();
        var stores = await RawAsync("/api/stores");
        var activity = await RawAsync("/api/stores/activity?limit=500");
        var metrics = await RawAsync("/api/stores/metrics");

        var requests = Generate().ToList();
        output.WriteLine($"{requests.Count} bad requests ({requests.Count(r => r.RefusedByKestrel)} refused by Kestrel before the app)");
        Assert.True(requests.Count(r => !r.RefusedByKestrel) >= 200, $"only {requests.Count} requests generated");

        var failures = new List<string>();
        var codes = new Dictionary<int, int>();
        using var gate = new SemaphoreSlim(6);
        await Task.WhenAll(requests.Select(async bad =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path);
                if (bad.Body is not null)
                {
                    request.Content = new ByteArrayContent(bad.Body);
                    request.Content.Headers.ContentType = null;
                    if (bad.ContentType is not null)
                    {
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", bad.ContentType);
                    }
                }

                using var response = await client.SendAsync(request);
                var because = $"{bad.Why} [{bad.Method} {ApiCalls.Truncate(bad.Path, 80)}]";
                var code = (int)response.StatusCode;
                if (bad.RefusedByKestrel)
                {
                    Assert.True(code == 400, $"{because}: expected Kestrel's 400, got {code}");
                }
                else
                {
                    await response.AssertClientErrorProblemAsync(because);
                }

                lock (codes)
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                }
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add(ApiCalls.Truncate(ex.Message, 400));
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        output.WriteLine(string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} bad requests were not a 4xx problem+json:\n" + string.Join("\n", failures.Take(40)));

        // Whatever the server might still do in the background has had time to show.
        await Task.Delay(1000);
        Assert.True(calls.SequenceEqual(server.FakeCli.CallsSnapshot()), "helm/kubectl were invoked during hostile input:\n" + Encoding.UTF8.GetString(server.FakeCli.CallsSnapshot().Skip(calls.Length).ToArray()));
        Assert.Equal(stores, await RawAsync("/api/stores"));
        Assert.Equal(activity, await RawAsync("/api/stores/activity?limit=500"));
        Assert.Equal(metrics, await RawAsync("/api/stores/metrics"));
    }

    /// <summary>A READY store and a FAILED one, so operations on real stores are attacked too; waits until all is quiet.</summary>
    private async Task SeedAsync()
    {
        foreach (var name in new[] { Ready, Failed })
        {
            using var response = await client.CreateAsync(name, "hostile-owner");
            await response.AssertAcceptedAsync(name);
        }

        Assert.Equal("READY", (await client.WaitForStatusAsync(Ready, ApiCalls.Terminal)).GetProperty("status").GetString());
        Assert.Equal("FAILED", (await client.WaitForStatusAsync(Failed, ApiCalls.Terminal)).GetProperty("status").GetString());

        // Quiet: no new CLI call and no new audit row for a while.
        var last = (Calls: -1, Activity: string.Empty);
        for (var i = 0; i < 100; i++)
        {
            var now = (server.FakeCli.CallsSnapshot().Length, await RawAsync("/api/stores/activity?limit=500"));
            if (now == last)
            {
                return;
            }

            last = now;
            await Task.Delay(700);
        }
    }

    private async Task<string> RawAsync(string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static IEnumerable<Bad> Generate()
    {
        // Store names with shell metacharacters, option look-alikes, unicode and control characters.
        string[] badNames =
        [
            "a;rm -rf /", "$(reboot)", "`id`", "acme|cat /etc/passwd", "acme&&ls", "acme>out", "acme<in", "acme'x", "acme\"x",
            "acme\\x", "../etc", "..", "a/b", "--help", "-n", "--set=a=b", "*", "?acme", "{{.Values}}", "${IFS}acme",
            "ａｃｍｅ", "аcme", "acme\u200b", "störe", "😀store", "store\u202e", "İstanbul", "straße", "ACME", "Acme",
            "acme\u0000x", "ac\nme", "acme\r\n", " acme", "acme ", "acme\t", new string('a', 41), new string('a', 5000), "a", "ab",
            "metrics", "activity", "health", "acme_x", "acme.x", "1acme", "-acme", "acme-", "%00", "acme%2F..",
        ];
        foreach (var name in badNames)
        {
            yield return new Bad("bad store name " + JsonString(name), "POST", "/api/stores",
                Utf8($$"""{"storeName":{{JsonString(name)}},"userId":"hostile-user"}"""));
        }

        string[] badUsers = ["alice;ls", "alice$(id)", "alice`id`", "alice\u0000", "ålice", "alice bob", "../../etc", "alice|x", new string('u', 65), "", "alice\n", "alice/x"];
        foreach (var user in badUsers)
        {
            yield return new Bad("bad userId " + JsonString(user), "POST", "/api/stores",
                Utf8($$"""{"storeName":"hostile-new","userId":{{JsonString(user)}}}"""));
        }

        // Route segments: traversal, encoded separators, NUL, metacharacters, unicode; against every route that takes {name}.
        string[] badSegments =
        [
            "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc", "..%5C..%5Cwindows", "hostile-ready%2F..%2F..", "a%00b", "hostile-ready%00",
            "a%20b", "%3Bls", "%24(id)", "%60id%60", "%E2%80%AE", "acme%0A", "ACME", "a_b", new string('a', 300), "%F0%9F%98%80", "%C3%A5cme", "-n",
        ];
        foreach (var segment in badSegments)
        {
            var kestrel = segment.Contains("%00", StringComparison.Ordinal);
            yield return new Bad("bad route segment", "GET", "/api/stores/" + segment, RefusedByKestrel: kestrel);
            yield return new Bad("bad route segment", "DELETE", "/api/stores/" + segment, RefusedByKestrel: kestrel);
            yield return new Bad("bad route segment", "POST", $"/api/stores/{segment}/upgrade", RefusedByKestrel: kestrel);
            yield return new Bad("bad route segment", "POST", $"/api/stores/{segment}/rollback", RefusedByKestrel: kestrel);
            yield return new Bad("bad route segment", "POST", $"/api/stores/{segment}/retry", RefusedByKestrel: kestrel);
        }

        // Malformed JSON.
        string[] malformed =
        [
            "{", "}", "[", "{\"storeName\":", "{\"storeName\":\"hostile-x\"", "{\"storeName\":\"hostile-x\",}", "{storeName:\"hostile-x\"}",
            "{'storeName':'hostile-x'}", "{\"storeName\":\"hostile-x\" \"userId\":\"u\"}", "{\"a\":1}{\"b\":2}", "nul", "tru", "{\"storeName\":\"\\x41\"}",
            "{\"storeName\":\"hostile-x\",\"userId\":\"u\"} // comment", "/* c */{\"storeName\":\"hostile-x\",\"userId\":\"u\"}", "\u00ef\u00bb\u00bf{",
            "{\"storeName\":\"hostile-x\",\"userId\":\"u\",\"engine\":woocommerce}", "{\"storeName\":NaN}", "{\"storeName\":\"\ud800\"}",
        ];
        foreach (var body in malformed)
        {
            yield return new Bad("malformed JSON " + body, "POST", "/api/stores", Utf8(body));
            yield return new Bad("malformed JSON (upgrade) " + body, "POST", $"/api/stores/{Ready}/upgrade", Utf8(body));
            yield return new Bad("malformed JSON (retry) " + body, "POST", $"/api/stores/{Failed}/retry", Utf8(body));
        }

        // Invalid UTF-8 and raw NUL bytes.
        yield return new Bad("invalid UTF-8", "POST", "/api/stores", [0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
        yield return new Bad("raw NUL in body", "POST", "/api/stores", Utf8("{\"storeName\":\"hostile-x\0\",\"userId\":\"u\"}"));
        yield return new Bad("NUL bytes only", "POST", "/api/stores", new byte[64]);
        yield return new Bad("NUL before JSON", "POST", "/api/stores", [0, .. Utf8("{\"storeName\":\"hostile-nul\",\"userId\":\"u\"}")]);
        yield return new Bad("escaped NUL in name", "POST", "/api/stores", Utf8("{\"storeName\":\"hostile\\u0000x\",\"userId\":\"u\"}"));
        yield return new Bad("escaped NUL in user", "POST", "/api/stores", Utf8("{\"storeName\":\"hostile-nul2\",\"userId\":\"u\\u0000\"}"));
        yield return new Bad("escaped NUL in field name", "POST", "/api/stores", Utf8("{\"storeName\":\"hostile-nul3\",\"userId\":\"u\",\"\\u0000\":1}"));

        // Wrong types and unknown fields.
        string[] wrongTypes =
        [
            """{"storeName":123,"userId":"u"}""", """{"storeName":true,"userId":"u"}""", """{"storeName":null,"userId":"u"}""",
            """{"storeName":["hostile-x"],"userId":"u"}""", """{"storeName":{"v":"hostile-x"},"userId":"u"}""", """{"storeName":"hostile-x","userId":1}""",
            """{"storeName":"hostile-x","userId":["u"]}""", """{"storeName":"hostile-x","userId":"u","engine":1}""", """{"storeName":"hostile-x","userId":"u","engine":["medusa"]}""",
            """{"storeName":"hostile-x","userId":"u","engine":"mysql"}""", """{"storeName":"hostile-x","userId":"u","engine":"MEDUSA"}""", """{"storeName":"hostile-x","userId":"u","admin":true}""",
            """{"storeName":"hostile-x","userId":"u","__proto__":{}}""", """{"storeName":"hostile-x"}""", """{"userId":"u"}""", "{}", "[]", "\"hostile-x\"", "42", "null", "true",
            """[{"storeName":"hostile-x","userId":"u"}]""", """{"storeName":"hostile-x","userId":"u","storeName ":"y"}""",
        ];
        foreach (var body in wrongTypes)
        {
            yield return new Bad("wrong type " + body, "POST", "/api/stores", Utf8(body));
        }

        // Duplicate keys: which one wins must never be left to chance.
        yield return new Bad("duplicate storeName", "POST", "/api/stores", Utf8("""{"storeName":"hostile-dup-a","storeName":"hostile-dup-b","userId":"u"}"""));
        yield return new Bad("duplicate userId", "POST", "/api/stores", Utf8("""{"storeName":"hostile-dup-c","userId":"a","userId":"b"}"""));
        yield return new Bad("duplicate engine", "POST", "/api/stores", Utf8("""{"storeName":"hostile-dup-d","userId":"u","engine":"medusa","engine":"woocommerce"}"""));
        yield return new Bad("duplicate values", "POST", $"/api/stores/{Ready}/upgrade", Utf8("""{"values":{},"values":{"a":1}}"""));
        yield return new Bad("duplicate nested key", "POST", $"/api/stores/{Ready}/upgrade", Utf8("""{"values":{"a":1,"a":2}}"""));
        yield return new Bad("duplicate revision", "POST", $"/api/stores/{Ready}/rollback", Utf8("""{"revision":1,"revision":2}"""));

        // Huge bodies.
        yield return new Bad("70 KiB name", "POST", "/api/stores", Utf8($$"""{"storeName":"{{new string('a', 70 * 1024)}}","userId":"u"}"""));
        yield return new Bad("1 MiB of spaces", "POST", "/api/stores", Utf8(new string(' ', 1024 * 1024) + "{}"));
        yield return new Bad("200 KiB values", "POST", $"/api/stores/{Ready}/upgrade", Utf8("{\"values\":{\"blob\":\"" + new string('x', 200 * 1024) + "\"}}"));
        yield return new Bad("100 KiB retry body", "POST", $"/api/stores/{Failed}/retry", Utf8($$"""{"x":"{{new string('x', 100 * 1024)}}"}"""));
        yield return new Bad("65 KiB + 1 of JSON", "POST", "/api/stores", Utf8("{\"storeName\":\"hostile-x\",\"userId\":\"u\",\"pad\":\"" + new string('p', 64 * 1024) + "\"}"));

        // Deeply nested bodies.
        foreach (var depth in new[] { 65, 200, 5000, 20000 })
        {
            yield return new Bad($"arrays {depth} deep", "POST", "/api/stores", Utf8(new string('[', depth) + new string(']', depth)));
            yield return new Bad($"objects {depth} deep", "POST", "/api/stores",
                Utf8("{\"storeName\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + ",\"userId\":\"u\"}"));
            yield return new Bad($"values {depth} deep", "POST", $"/api/stores/{Ready}/upgrade",
                Utf8("{\"values\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}"));
        }

        yield return new Bad("values 13 deep (over the chart limit)", "POST", $"/api/stores/{Ready}/upgrade",
            Utf8("{\"values\":" + string.Concat(Enumerable.Repeat("{\"a\":", 13)) + "1" + new string('}', 13) + "}"));

        // Upgrade / rollback / retry / delete bodies that are well-formed but wrong.
        string[] badUpgrades =
        [
            """{"values":"replicas=2"}""", """{"values":5}""", """{"values":[1,2]}""", """{"values":true}""", """{"values":{"store":{"name":"other"}}}""",
            """{"values":{"credentials":{"password":"x"}}}""", """{"vals":{}}""", """{"values":{},"force":true}""", """{"set":"a=b"}""", "[]", "\"x\"", "1",
        ];
        foreach (var body in badUpgrades)
        {
            yield return new Bad("bad upgrade " + body, "POST", $"/api/stores/{Ready}/upgrade", Utf8(body));
            yield return new Bad("bad upgrade (failed store) " + body, "POST", $"/api/stores/{Failed}/upgrade", Utf8(body));
        }

        string[] badRollbacks =
        [
            """{"revision":"1"}""", """{"revision":"two"}""", """{"revision":0}""", """{"revision":-1}""", """{"revision":1.5}""", """{"revision":true}""",
            """{"revision":[1]}""", """{"revision":{"n":1}}""", """{"revision":2147483648}""", """{"revision":1e3}""", """{"rev":1}""", """{"revision":1,"force":true}""", "[]",
        ];
        foreach (var body in badRollbacks)
        {
            yield return new Bad("bad rollback " + body, "POST", $"/api/stores/{Ready}/rollback", Utf8(body));
        }

        yield return new Bad("rollback to the current revision", "POST", $"/api/stores/{Ready}/rollback", Utf8("""{"revision":1}"""));
        yield return new Bad("rollback without history", "POST", $"/api/stores/{Ready}/rollback", null);

        string[] badEmpties = ["""{"force":true}""", """{"operation":"install"}""", "[]", "\"x\"", "0", "[{}]"];
        foreach (var body in badEmpties)
        {
            yield return new Bad("body on retry " + body, "POST", $"/api/stores/{Failed}/retry", Utf8(body));
            yield return new Bad("body on delete " + body, "DELETE", $"/api/stores/{Ready}", Utf8(body));
        }

        yield return new Bad("retry of a READY store", "POST", $"/api/stores/{Ready}/retry", null);

        // Wrong content types (every one with a non-empty body).
        var validCreate = Utf8("""{"storeName":"hostile-ctype","userId":"u"}""");
        string?[] contentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "text/json", "application/javascript", "image/png", "application/jsonx", "json"];
        foreach (var contentType in contentTypes)
        {
            yield return new Bad($"content type {contentType ?? "(none)"}", "POST", "/api/stores", validCreate, contentType);
            yield return new Bad($"content type {contentType ?? "(none)"} on retry", "POST", $"/api/stores/{Failed}/retry", Utf8("{}"), contentType);
        }

        yield return new Bad("form body", "POST", "/api/stores", Utf8("storeName=hostile-form&userId=u"), "application/x-www-form-urlencoded");

        // Wrong methods on every route.
        (string Path, string[] Methods)[] wrongMethods =
        [
            ("/api/stores", ["PUT", "PATCH", "DELETE", "OPTIONS"]),
            ($"/api/stores/{Ready}", ["PUT", "PATCH", "POST", "OPTIONS"]),
            ($"/api/stores/{Ready}/upgrade", ["GET", "PUT", "PATCH", "DELETE"]),
            ($"/api/stores/{Ready}/rollback", ["GET", "PUT", "DELETE"]),
            ($"/api/stores/{Failed}/retry", ["GET", "PUT", "DELETE"]),
            ("/api/stores/metrics", ["POST", "PUT", "PATCH"]),
            ("/api/stores/activity", ["POST", "PUT", "PATCH"]),
            ("/api/health", ["POST", "PUT", "DELETE"]),
        ];
        foreach (var (path, methods) in wrongMethods)
        {
            foreach (var method in methods)
            {
                yield return new Bad("wrong method", method, path, method is "GET" or "DELETE" or "OPTIONS" ? null : Utf8("{}"));
            }
        }

        // Unknown routes.
        string[] unknown = ["/api", "/api/", "/api/store", "/api/stores/hostile-ready/upgrade/now", "/api/stores/hostile-ready/install", "/api/../etc/passwd", "/etc/passwd", "/api/admin", "/api/stores/hostile-ready/metrics"];
        foreach (var path in unknown)
        {
            yield return new Bad("unknown route", "GET", path);
        }

        yield return new Bad("unknown route", "POST", "/api/stores/hostile-ready/install", Utf8("{}"));

        // The store detail routes: bad names, bad revisions and bad preview bodies are refused before any helm call.
        foreach (var segment in badSegments.Where(s => !s.Contains("%00", StringComparison.Ordinal)))
        {
            yield return new Bad("bad route segment (revisions)", "GET", $"/api/stores/{segment}/revisions");
            yield return new Bad("bad route segment (values)", "GET", $"/api/stores/{segment}/revisions/1/values");
            yield return new Bad("bad route segment (preview)", "POST", $"/api/stores/{segment}/upgrade/preview", Utf8("{}"));
        }

        string[] badRevisions =
        [
            "0", "-1", "00", "01", "1.5", "1e3", "0x10", "abc", "one", "%20" + "1", "1%20", "+1", "%2B1", "1%3Bls", "%24(id)", "%60id%60", "1000001",
            "2147483648", "99999999999999999999", "%EF%BC%91", "%D9%A1", "1%2F..", "..", "%2E%2E", "NaN", "Infinity", "-0", "1_000", "1,2", "true", "null",
            new string('9', 300),
        ];
        foreach (var revision in badRevisions)
        {
            yield return new Bad("bad revision " + revision, "GET", $"/api/stores/{Ready}/revisions/{revision}/values");
        }

        yield return new Bad("bad revision (%00)", "GET", $"/api/stores/{Ready}/revisions/%00/values", RefusedByKestrel: true);
        foreach (var body in malformed)
        {
            yield return new Bad("malformed JSON (preview) " + body, "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8(body));
        }

        foreach (var body in badUpgrades)
        {
            yield return new Bad("bad upgrade preview " + body, "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8(body));
        }

        string[] refusedPreviewValues =
        [
            """{"values":{"image":{"repository":"evil/miner"}}}""", """{"values":{"securityContext":{"runAsUser":0}}}""", """{"values":{"networkPolicy":{"enabled":false}}}""",
            """{"values":{"version":"4.9"}}""", """{"values":{"plan":"unlimited"}}""", """{"values":{"storeTitle":""}}""", """{"values":{"service":{"type":"NodePort"}}}""",
        ];
        foreach (var body in refusedPreviewValues)
        {
            yield return new Bad("refused preview values " + body, "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8(body));
        }

        yield return new Bad("duplicate values (preview)", "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8("""{"values":{},"values":{"a":1}}"""));
        yield return new Bad("200 KiB values (preview)", "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8("{\"values\":{\"blob\":\"" + new string('x', 200 * 1024) + "\"}}"));
        yield return new Bad("values 5000 deep (preview)", "POST", $"/api/stores/{Ready}/upgrade/preview",
            Utf8("{\"values\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "}"));
        foreach (var contentType in contentTypes)
        {
            yield return new Bad($"content type {contentType ?? "(none)"} on preview", "POST", $"/api/stores/{Ready}/upgrade/preview", Utf8("{}"), contentType);
        }

        foreach (var method in new[] { "GET", "PUT", "DELETE" })
        {
            yield return new Bad("wrong method (preview)", method, $"/api/stores/{Ready}/upgrade/preview", method == "PUT" ? Utf8("{}") : null);
        }

        foreach (var method in new[] { "POST", "PUT", "DELETE" })
        {
            yield return new Bad("wrong method (revisions)", method, $"/api/stores/{Ready}/revisions", method == "DELETE" ? null : Utf8("{}"));
            yield return new Bad("wrong method (values)", method, $"/api/stores/{Ready}/revisions/1/values", method == "DELETE" ? null : Utf8("{}"));
        }

        // Bad query strings.
        string[] badQueries =
        [
            "/api/stores?status=bogus", "/api/stores?status=ready%00", "/api/stores?status=%27%20OR%201%3D1--", "/api/stores?userId=%24(id)", "/api/stores?userId=a%00",
            "/api/stores?userId=" + new string('u', 65), "/api/stores?userId=%C3%A5", "/api/stores/activity?limit=0", "/api/stores/activity?limit=501",
            "/api/stores/activity?limit=1e3", "/api/stores/activity?limit=%00", "/api/stores/activity?limit=-5", "/api/stores/activity?limit=99999999999999999999",
            "/api/stores/activity?store=..%2F..", "/api/stores/activity?store=%3Bls", "/api/stores/activity?store=ACME", "/api/stores/activity?limit=10&store=a%20b",
        ];
        foreach (var path in badQueries)
        {
            yield return new Bad("bad query", "GET", path);
        }
    }
}
