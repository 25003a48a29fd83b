using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// The store detail API over real HTTP (issue 13, items 4 and 5): a running operation's step as the store's
/// "progress", the Helm revision history, one revision's values and the upgrade preview — tenant-visible values only
/// (the store's generated credentials never appear), each store only for its owner (404 for anyone else).
/// </summary>
public sealed class StoreDetailTests(StoreDetailServer fixture) : IClassFixture<StoreDetailServer>
{
    private readonly TestServerProcess server = fixture.Server;

    /// <summary>How long a step may take on a loaded 2-core machine shared with other builds (a wait, never an assertion on time).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private HttpClient Client => server.Client;

    // Proves a running install reports its current step through GET /api/stores/{name} and the list (step name, its
    // index among the install's 3 steps, when it started), and that progress is null once no operation runs.
    [Fact]
    public async Task Progress_shows_the_running_step_and_is_null_when_nothing_runs()
    {
        const string name = "detail-progress";
        server.FakeCli.SetBehaviour(name, "once:upgrade:hang"); // helm holds the install until it is cancelled
        using (var created = await Client.CreateAsync(name, "detail-user"))
        {
            var accepted = await created.AssertAcceptedAsync(name);
            Assert.Equal(JsonValueKind.Null, accepted.GetProperty("progress").ValueKind);
        }

        var store = await Client.WaitForStepAsync(name, "helm upgrade --install", Patience);
        var progress = store.GetProperty("progress");
        Assert.Equal(3, progress.GetProperty("index").GetInt32());
        Assert.Equal(3, progress.GetProperty("of").GetInt32());
        var startedAt = DateTimeOffset.Parse(progress.GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(startedAt, DateTimeOffset.Parse(store.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var listed = (await Client.GetJsonAsync("/api/stores")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("helm upgrade --install", listed.GetProperty("progress").GetProperty("step").GetString());

        // The step is reported before it starts: cancel only once its helm runs, so the cancel has a process to stop.
        await WaitForHelmAsync("upgrade", name);

        using (var cancel = await Client.PostAsync($"/api/stores/{name}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await cancel.BodyAsync()).GetProperty("progress").ValueKind);
        }

        using (var retry = await Client.PostAsync($"/api/stores/{name}/retry", null))
        {
            await retry.AssertAcceptedAsync(name);
        }

        var ready = await Client.WaitForStatusAsync(name, "READY", Patience);
        Assert.Equal(JsonValueKind.Null, ready.GetProperty("progress").ValueKind);
        listed = (await Client.GetJsonAsync("/api/stores")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("progress").ValueKind);
    }

    // Proves the revision history comes from helm newest first with chart, app version, status, description and
    // time; each revision's values are tenant-visible only (the install's generated credentials and the control
    // plane's store keys never appear); an unknown revision is 404.
    [Fact]
    public async Task Revisions_and_their_values_show_tenant_visible_values_only()
    {
        const string name = "detail-history";
        using var owner = await server.ClientForAsync("detail-owner");
        await ReadyAsync(owner, name, "detail-owner");
        using (var upgrade = await owner.PostAsync($"/api/stores/{name}/upgrade", ApiCalls.Json("""{"values":{"storeTitle":"Corner Shop","version":"6.7","plan":"medium"}}""")))
        {
            await upgrade.AssertAcceptedAsync(name);
        }

        await Client.WaitForStatusAsync(name, "READY", Patience);

        var revisions = (await owner.GetJsonAsync($"/api/stores/{name}/revisions")).EnumerateArray().ToList();
        Assert.Equal([2, 1], revisions.Select(r => r.GetProperty("revision").GetInt32()));
        Assert.Equal(["deployed", "superseded"], revisions.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal([false, true], revisions.Select(r => r.GetProperty("rollbackTarget").GetBoolean())); // where a plain rollback goes
        Assert.Equal("Upgrade complete", revisions[0].GetProperty("description").GetString());
        Assert.StartsWith("woocommerce-", revisions[0].GetProperty("chart").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(revisions[0].GetProperty("appVersion").GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", revisions[0].GetProperty("updatedAt").GetString()!);

        var first = await owner.GetJsonAsync($"/api/stores/{name}/revisions/1/values");
        Assert.Equal(1, first.GetProperty("revision").GetInt32());
        var firstValues = first.GetProperty("values");
        Assert.Equal("6.8.3-php8.3-apache", firstValues.GetProperty("image").GetProperty("tag").GetString());
        Assert.False(firstValues.TryGetProperty("credentials", out _));
        Assert.False(firstValues.TryGetProperty("store", out _));

        var second = (await owner.GetJsonAsync($"/api/stores/{name}/revisions/2/values")).GetProperty("values");
        Assert.Equal("Corner Shop", second.GetProperty("setup").GetProperty("storeTitle").GetString());
        Assert.Equal("6.7.2-php8.3-apache", second.GetProperty("image").GetProperty("tag").GetString());
        Assert.Equal("10Gi", second.GetProperty("persistence").GetProperty("size").GetString());

        using var missing = await owner.GetAsync($"/api/stores/{name}/revisions/9/values");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);

        // The fake keeps what real helm keeps: the install's values file with the generated credentials.
        var secrets = GeneratedSecrets(name);
        Assert.NotEmpty(secrets);
        foreach (var path in new[] { $"/api/stores/{name}/revisions", $"/api/stores/{name}/revisions/1/values", $"/api/stores/{name}/revisions/2/values", $"/api/stores/{name}" })
        {
            var body = await RawAsync(owner, path);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        }
    }

    // Proves the preview answers what an upgrade would apply against the deployed revision, tenant-visible only, and
    // changes nothing: no helm or kubectl mutation, the store row as it was, no audit row.
    [Fact]
    public async Task Upgrade_preview_shows_current_and_proposed_values_and_changes_nothing()
    {
        const string name = "detail-preview";
        using var owner = await server.ClientForAsync("preview-owner");
        await ReadyAsync(owner, name, "preview-owner");
        var before = await RawAsync(owner, $"/api/stores/{name}");
        var activity = await Client.ActivityAsync(name);
        var calls = server.FakeCli.Calls().Count;

        using var response = await owner.PostAsync($"/api/stores/{name}/upgrade/preview", ApiCalls.Json("""{"values":{"plan":"medium","storeTitle":"New Title"}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var preview = await response.BodyAsync();
        Assert.Equal(1, preview.GetProperty("fromRevision").GetInt32());
        var current = preview.GetProperty("current");
        var proposed = preview.GetProperty("proposed");
        Assert.False(current.TryGetProperty("persistence", out _)); // the small plan sets no chart values
        Assert.False(current.TryGetProperty("credentials", out _));
        Assert.Equal("10Gi", proposed.GetProperty("persistence").GetProperty("size").GetString());
        Assert.Equal("New Title", proposed.GetProperty("setup").GetProperty("storeTitle").GetString());
        Assert.Equal(
            current.GetProperty("image").GetProperty("tag").GetString(),
            proposed.GetProperty("image").GetProperty("tag").GetString()); // same (default) version
        Assert.All(GeneratedSecrets(name), secret => Assert.DoesNotContain(secret, preview.GetRawText(), StringComparison.Ordinal));

        var newCalls = server.FakeCli.Calls().Skip(calls).ToList();
        Assert.All(newCalls, c => Assert.True(c.Tool == "helm" && c.Argv[0] is "history" or "get", $"preview ran {c.Tool} {string.Join(' ', c.Argv)}"));
        Assert.Equal(before, await RawAsync(owner, $"/api/stores/{name}"));
        Assert.Equal(activity.Count, (await Client.ActivityAsync(name)).Count);

        // A re-apply (no body) proposes the store's own plan and the default version.
        using var reapply = await owner.PostAsync($"/api/stores/{name}/upgrade/preview", null);
        Assert.Equal(HttpStatusCode.OK, reapply.StatusCode);
        var reapplied = await reapply.BodyAsync();
        Assert.True(
            JsonElement.DeepEquals(reapplied.GetProperty("current"), reapplied.GetProperty("proposed")),
            $"a re-apply should propose what is deployed: {reapplied.GetRawText()}");
    }

    // Proves the preview refuses exactly what the upgrade refuses (same 400 errors map for keys outside the tenant
    // boundary, 409 while an operation runs), and that another user's store is 404 on every detail route.
    [Fact]
    public async Task Preview_is_validated_like_the_upgrade_and_other_users_stores_are_not_found()
    {
        const string name = "detail-guard";
        using var owner = await server.ClientForAsync("guard-owner");
        using var stranger = await server.ClientForAsync("guard-stranger");
        await ReadyAsync(owner, name, "guard-owner");

        const string refused = """{"values":{"image":{"tag":"evil"},"plan":"unlimited","credentials":{"adminPassword":"x"}}}""";
        using var previewRefusal = await owner.PostAsync($"/api/stores/{name}/upgrade/preview", ApiCalls.Json(refused));
        var previewProblem = await previewRefusal.AssertProblemAsync(HttpStatusCode.BadRequest);
        using var upgradeRefusal = await owner.PostAsync($"/api/stores/{name}/upgrade", ApiCalls.Json(refused));
        var upgradeProblem = await upgradeRefusal.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(upgradeProblem.GetProperty("errors").GetRawText(), previewProblem.GetProperty("errors").GetRawText());

        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/stores/{name}/revisions"), ("GET", $"/api/stores/{name}/revisions/1/values"), ("POST", $"/api/stores/{name}/upgrade/preview"),
            ("GET", "/api/stores/detail-nobody/revisions"), ("GET", "/api/stores/detail-nobody/revisions/1/values"), ("POST", "/api/stores/detail-nobody/upgrade/preview"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? ApiCalls.Json("{}") : null };
            using var answer = await stranger.SendAsync(request);
            await answer.AssertProblemAsync(HttpStatusCode.NotFound, path);
        }

        // An operator sees any store's revisions.
        Assert.Single((await Client.GetJsonAsync($"/api/stores/{name}/revisions")).EnumerateArray());

        // While an operation runs the upgrade would be 409, and so is its preview.
        server.FakeCli.SetBehaviour(name, "once:upgrade:hang");
        using (var upgrade = await owner.PostAsync($"/api/stores/{name}/upgrade", null))
        {
            await upgrade.AssertAcceptedAsync(name);
        }

        using var busy = await owner.PostAsync($"/api/stores/{name}/upgrade/preview", null);
        await busy.AssertProblemAsync(HttpStatusCode.Conflict);
        await Client.WaitForStepAsync(name, "helm upgrade", Patience);
        await WaitForHelmAsync("upgrade", name);
        using (var cancel = await Client.PostAsync($"/api/stores/{name}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
    }

    private async Task ReadyAsync(HttpClient owner, string name, string user)
    {
        using var created = await owner.CreateAsync(name, user);
        await created.AssertAcceptedAsync(name);
        await Client.WaitForStatusAsync(name, "READY", Patience);
    }

    /// <summary>Waits until a fake helm `verb` for the release is running (started, not ended, alive).</summary>
    private async Task WaitForHelmAsync(string verb, string release)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var start = server.FakeCli.Calls().LastOrDefault(c => c.Tool == "helm" && c.Argv.Length > 1 && c.Argv[0] == verb && c.Argv.Contains(release));
            if (start is not null && server.FakeCli.RunningPids().Contains(start.Pid))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"helm {verb} {release} did not start");
            await Task.Delay(200);
        }
    }

    /// <summary>The credential values the install generated, as the fake helm stored them with revision 1.</summary>
    private List<string> GeneratedSecrets(string name)
    {
        using var release = server.FakeCli.Release($"store-{name}", name) ?? throw new Xunit.Sdk.XunitException($"no release {name}");
        var values = release.RootElement.GetProperty("revisions")[0].GetProperty("values");
        return values.GetProperty("credentials").EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length >= 8)
            .Select(p => p.Value.GetString()!)
            .ToList();
    }

    private static async Task<string> RawAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}

/// <summary>For the store detail tests: helm may hang for a long time (cancelled by the tests), the reconciler is quiet (1 h), so every CLI call comes from a request.</summary>
public sealed class StoreDetailServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["HELM_TIMEOUT"] = "300s",
        ["TERMINATION_GRACE"] = "2s",
        ["MAX_STORES_PER_USER"] = "10",
        ["RECONCILE_INTERVAL"] = "1h",
    };
}
