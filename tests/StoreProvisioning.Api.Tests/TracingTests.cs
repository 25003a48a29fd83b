using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>LOG_FORMAT=json, a webhook secret to keep out of the log, and a reconciler that stays out of the way.</summary>
public sealed class JsonLogServer : ServerFixture
{
    public const string WebhookSecret = "whsec-json-log-test-0123456789";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["LOG_FORMAT"] = "json",
        ["RECONCILE_INTERVAL"] = "1h",
        ["NOTIFY_WEBHOOK_URL"] = "http://127.0.0.1:9/store-events",
        ["NOTIFY_WEBHOOK_ALLOW_HTTP"] = "true",
        ["NOTIFY_WEBHOOK_SECRET"] = WebhookSecret,
        ["NOTIFY_WEBHOOK_ATTEMPTS"] = "1",
    };
}

/// <summary>
/// Over real HTTP: a client's W3C traceparent is continued by the operation it starts (every audit row of it carries
/// the client's trace id), and LOG_FORMAT=json writes one JSON object per line with the operation's scope
/// (store, operationId, traceId) and no secret in any field.
/// </summary>
public sealed class TracingTests(JsonLogServer fixture) : IClassFixture<JsonLogServer>
{
    private readonly TestServerProcess server = fixture.Server;

    [Fact]
    public async Task A_client_traceparent_is_continued_and_json_logs_carry_the_operation_scope_without_secrets()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/stores")
        {
            Content = ApiCalls.Json(new { storeName = "traced-json", userId = "trace-user" }),
        };
        create.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var response = await server.Client.SendAsync(create))
        {
            await response.AssertAcceptedAsync("traced-json");
        }

        JsonElement store;
        try
        {
            store = await server.Client.WaitForStatusAsync("traced-json", ApiCalls.Terminal, TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\nLog:\n" + server.Log[^Math.Min(server.Log.Length, 6000)..], ex);
        }

        Assert.Equal("READY", store.GetProperty("status").GetString());
        var issued = await server.IssueAsync("trace-user", "user");

        // Every audit row of the operation, the request's own included, is in the client's trace. (The webhook's
        // delivery rows are written by its own orchestration, outside the operation's trace: README, known limit.)
        var rows = (await server.Client.ActivityAsync("traced-json")).Where(r => !r.GetProperty("action").GetString()!.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "install.succeeded");
        Assert.All(rows, r => Assert.Equal(traceId, r.GetProperty("traceId").GetString()));

        // Another request without a traceparent starts a trace of its own.
        using (var other = await server.Client.CreateAsync("untraced-json", "trace-user"))
        {
            await other.AssertAcceptedAsync("untraced-json");
        }

        await server.Client.WaitForStatusAsync("untraced-json", ApiCalls.Terminal, TimeSpan.FromMinutes(3));
        var otherRows = (await server.Client.ActivityAsync("untraced-json")).Where(r => !r.GetProperty("action").GetString()!.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        var otherTrace = otherRows[0].GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", otherTrace);
        Assert.NotEqual(traceId, otherTrace);
        Assert.All(otherRows, r => Assert.Equal(otherTrace, r.GetProperty("traceId").GetString()));

        var log = server.Log;
        var entries = log.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(entries.Count > 20, "the console writes JSON lines:\n" + ApiCalls.Truncate(log, 2000));
        var helm = Assert.Single(entries, e =>
            e.GetProperty("Category").GetString() == "StoreProvisioning.Cluster.CliRunner"
            && e.GetProperty("Message").GetString()!.StartsWith("Running helm upgrade --install traced-json ", StringComparison.Ordinal));
        var scope = Scope(helm);
        Assert.Equal("traced-json", scope["store"]);
        Assert.Equal(traceId, scope["traceId"]);
        Assert.Matches("^[0-9a-f]+$", scope["operationId"]);
        Assert.All(
            entries.Where(e => Scope(e).GetValueOrDefault("store") == "traced-json"),
            e => Assert.Equal(traceId, Scope(e)["traceId"]));

        var secrets = new List<string> { server.AdminKey, issued.Key, JsonLogServer.WebhookSecret };
        using (var values = JsonDocument.Parse(server.FakeCli.ValuesOf("traced-json")!))
        {
            secrets.AddRange(values.RootElement.GetProperty("credentials").EnumerateObject().Where(p => p.Name != "adminEmail").Select(p => p.Value.GetString()!));
        }

        Assert.True(secrets.Count >= 5);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log));
    }

    /// <summary>The properties of every scope of a JSON console entry.</summary>
    private static Dictionary<string, string?> Scope(JsonElement entry)
    {
        var scope = new Dictionary<string, string?>();
        if (entry.TryGetProperty("Scopes", out var scopes))
        {
            foreach (var item in scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
            {
                foreach (var property in item.EnumerateObject().Where(p => p.Name != "Message"))
                {
                    scope[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.ToString();
                }
            }
        }

        return scope;
    }
}
