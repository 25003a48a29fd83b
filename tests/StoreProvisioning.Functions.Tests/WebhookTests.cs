using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Functions.Notifications;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>
/// Issue 13 item 7: a store that becomes READY or FAILED or is deleted is announced to NOTIFY_WEBHOOK_URL, signed,
/// retried with backoff by a durable orchestration of its own, each attempt an audit row; a receiver that fails or is
/// down never changes the operation. The receiver here is a real HTTP server (HttpListener) on loopback.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class WebhookTests
{
    private const string Secret = "webhook-secret-for-tests-0123456789";

    private static Dictionary<string, string?> Settings(string url, int attempts = 3) => new()
    {
        ["NOTIFY_WEBHOOK_URL"] = url,
        ["NOTIFY_WEBHOOK_SECRET"] = Secret,
        ["NOTIFY_WEBHOOK_ALLOW_HTTP"] = "true",
        ["NOTIFY_WEBHOOK_ATTEMPTS"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NOTIFY_WEBHOOK_RETRY_DELAY"] = "1s",
    };

    // READY, FAILED and deleted each reach the receiver once, signed over timestamp and body with the secret; the
    // signature fails with another secret or an old timestamp. The secret is in no log line and no audit row.
    [Fact]
    public async Task Events_are_signed_and_verifiable()
    {
        using var receiver = new Receiver();
        await using var h = await Harness.StartAsync(settings: Settings(receiver.Url));

        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);
        h.Fakes.SetBehaviour("bad", "upgrade:fail");
        Assert.Equal(StoreStatus.Failed, (await h.ProvisionAsync("bad"))!.Status);
        await h.DeleteAsync("acme");

        var received = await receiver.WaitForAsync(3);
        var byType = received.ToDictionary(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!);
        Assert.Equal([StoreEvent.Deleted, StoreEvent.Failed, StoreEvent.Ready], byType.Keys.Order(StringComparer.Ordinal));
        foreach (var r in received)
        {
            Assert.True(WebhookSignature.Verify(Secret, r.Timestamp, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), r.Body);
            Assert.False(WebhookSignature.Verify("another-secret-0123456789", r.Timestamp, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(Secret, r.Timestamp, r.Signature, r.Body, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(Secret, r.Timestamp, r.Signature, r.Body + " ", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.Equal("application/json; charset=utf-8", r.ContentType);
        }

        using var ready = JsonDocument.Parse(byType[StoreEvent.Ready].Body);
        Assert.Equal("acme", ready.RootElement.GetProperty("store").GetString());
        Assert.Equal("install", ready.RootElement.GetProperty("operation").GetString());
        Assert.Equal(1, ready.RootElement.GetProperty("revision").GetInt32());
        using var failed = JsonDocument.Parse(byType[StoreEvent.Failed].Body);
        Assert.Contains("ImagePullBackOff", failed.RootElement.GetProperty("error").GetString());

        await WaitForAuditAsync(h, "acme", AuditActions.WebhookDelivered, 2);
        var rows = (await h.AuditAsync("acme")).Concat(await h.AuditAsync("bad")).Where(a => a.Action.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, a => Assert.Equal(AuditActions.WebhookDelivered, a.Action));
        Assert.All(rows, a => Assert.Contains("attempt 1 of 3, HTTP 204", a.Detail));
        Assert.All(rows, a => Assert.DoesNotContain("\"store\"", a.Detail)); // no body echo
        Assert.DoesNotContain(Secret, string.Join("\n", rows.Select(a => a.Detail)));
        Assert.DoesNotContain(Secret, string.Join("\n", h.Logs.Lines));
        Assert.All(received, r => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", r.TraceParent));
    }

    // A delivery is a span in the trace of the operation it announces (launched as the API launches it), sent to the
    // receiver as the W3C traceparent header; the body stays the event alone.
    [Fact]
    public async Task A_delivery_continues_the_trace_of_the_operation_it_announces()
    {
        using var receiver = new Receiver();
        await using var h = await Harness.StartAsync(settings: Settings(receiver.Url));
        var store = await h.CreateAsync("acme");

        Assert.True(await h.Services.GetRequiredService<OperationLauncher>().StartAsync(h.Host.Client, store, default));

        var received = Assert.Single(await receiver.WaitForAsync(1));
        var installTrace = (await h.AuditAsync("acme")).First(a => a.Action == AuditActions.InstallSucceeded).TraceId;
        Assert.NotNull(installTrace);
        Assert.Matches($"^00-{installTrace}-[0-9a-f]{{16}}-0[01]$", received.TraceParent);
        Assert.DoesNotContain("traceParent", received.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            ["id", "type", "store", "engine", "operation", "operationId", "revision", "error", "occurredAt"],
            JsonDocument.Parse(received.Body).RootElement.EnumerateObject().Select(p => p.Name));
    }

    // A cancel makes the store FAILED outside its orchestration: the receiver is told so too (store.failed, the cancel's
    // operation id, the reason the row records), signed like any other event.
    [Fact]
    public async Task A_cancelled_operation_is_announced_as_failed()
    {
        using var receiver = new Receiver();
        await using var h = await Harness.StartAsync(settings: Settings(receiver.Url));
        h.Fakes.SetBehaviour("stuck", "hang");
        var stuck = await h.CreateAsync("stuck", user: "u1");
        await h.Host.Client.ScheduleNewOrchestrationInstanceAsync(
            OperationLauncher.OrchestratorFor(stuck.Operation!.Value), OperationLauncher.InputFor(stuck, h.Options.OperationDeadline, notify: true),
            OperationLauncher.StartOptions(OperationLauncher.InstanceIdFor(stuck)));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!h.Fakes.Calls().Any(c => c.Tool == "helm" && c.Argv[0] == "upgrade" && c.End is null))
        {
            Assert.True(DateTime.UtcNow < deadline, "the install did not reach helm");
            await Task.Delay(100);
        }

        var cancelled = await h.Stores.CancelAsync(Callers.Operator, "stuck");
        Assert.True(cancelled.IsOk, cancelled.Refusal?.Detail);
        await h.Services.GetRequiredService<OperationCanceller>().StopAsync(h.Host.Client, cancelled.Value!, default);

        var received = Assert.Single(await receiver.WaitForAsync(1));
        Assert.True(WebhookSignature.Verify(Secret, received.Timestamp, received.Signature, received.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(StoreEvent.Failed, body.RootElement.GetProperty("type").GetString());
        Assert.Equal("install", body.RootElement.GetProperty("operation").GetString());
        var row = (await h.Repository.GetAsync("stuck"))!;
        Assert.Equal(StoreStatus.Failed, row.Status);
        Assert.Equal(row.OperationId, body.RootElement.GetProperty("operationId").GetString());
        Assert.Equal(row.Error, body.RootElement.GetProperty("error").GetString());
        await WaitForAuditAsync(h, "stuck", AuditActions.WebhookDelivered, 1);
    }

    // A READY store whose release disappeared is failed by the reconciler, outside any operation: the receiver is told
    // (store.failed with the row's reason), after the store.ready of its install.
    [Fact]
    public async Task A_store_the_reconciler_fails_is_announced()
    {
        using var receiver = new Receiver();
        await using var h = await Harness.StartAsync(settings: Settings(receiver.Url));
        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);
        await receiver.WaitForAsync(1);

        File.Delete(Path.Combine(h.Fakes.State, "releases", "store-acme", "acme.json"));
        await h.Services.GetRequiredService<StoreProvisioning.Functions.Reconciliation.StoreReconciler>().RunAsync(h.Host.Client, CancellationToken.None);

        var received = await receiver.WaitForAsync(2);
        var types = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal([StoreEvent.Ready, StoreEvent.Failed], types);
        using var failed = JsonDocument.Parse(received[1].Body);
        var row = (await h.Repository.GetAsync("acme"))!;
        Assert.Equal(StoreStatus.Failed, row.Status);
        Assert.Equal(row.Error, failed.RootElement.GetProperty("error").GetString());
        Assert.True(WebhookSignature.Verify(Secret, received[1].Timestamp, received[1].Signature, received[1].Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    // A receiver answering 500 gets the event again after the backoff; the second attempt is delivered. Each attempt
    // is its own audit row.
    [Fact]
    public async Task A_failing_receiver_is_retried()
    {
        using var receiver = new Receiver(HttpStatusCode.InternalServerError);
        await using var h = await Harness.StartAsync(settings: Settings(receiver.Url));

        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);

        var received = await receiver.WaitForAsync(2);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(0.9), "the retry waited for the backoff");
        await WaitForAuditAsync(h, "acme", AuditActions.WebhookDelivered, 1);
        var rows = (await h.AuditAsync("acme")).Where(a => a.Action.StartsWith("webhook.", StringComparison.Ordinal)).Reverse().ToList();
        Assert.Equal([AuditActions.WebhookFailed, AuditActions.WebhookDelivered], rows.Select(a => a.Action));
        Assert.Contains("attempt 1 of 3, HTTP 500; next attempt in", rows[0].Detail);
        Assert.Contains("attempt 2 of 3, HTTP 204", rows[1].Detail);
    }

    // With the receiver down, the store still ends READY; the delivery tries NOTIFY_WEBHOOK_ATTEMPTS times and gives
    // up, an audit row each. (The operation's orchestration instance itself completes only once the delivery ends:
    // see README "Notifications".)
    [Fact]
    public async Task A_receiver_that_is_down_never_fails_the_operation()
    {
        var port = NodeTool.FreePort(); // nobody listens there
        await using var h = await Harness.StartAsync(settings: Settings($"http://127.0.0.1:{port}/hooks/stores"));

        Assert.Equal(StoreStatus.Ready, (await h.ProvisionAsync("acme"))!.Status);

        await WaitForAuditAsync(h, "acme", AuditActions.WebhookFailed, 3);
        var rows = (await h.AuditAsync("acme")).Where(a => a.Action.StartsWith("webhook.", StringComparison.Ordinal)).Reverse().ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, a => Assert.Equal(AuditActions.WebhookFailed, a.Action));
        Assert.Contains("attempt 1 of 3, no answer (ConnectionError); next attempt in 1s.", rows[0].Detail);
        Assert.EndsWith("given up.", rows[2].Detail);
        Assert.All(rows, a => Assert.DoesNotContain("/hooks/stores", a.Detail)); // the URL's path may carry a token: never written
        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync("acme"))!.Status);
    }

    private static async Task WaitForAuditAsync(Harness h, string store, string action, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await h.AuditAsync(store)).Count(a => a.Action == action) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{store}: fewer than {count} {action} rows: " + string.Join(" | ", (await h.AuditAsync(store)).Select(a => a.Action)));
            await Task.Delay(200);
        }
    }

    private sealed record Received(string Body, string? Timestamp, string? Signature, string? ContentType, DateTimeOffset At, string? TraceParent = null);

    /// <summary>A webhook receiver on a loopback port: records each POST, answers the first with <paramref name="first"/>, then 204.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentQueue<Received> received = new();
        private readonly HttpStatusCode first;

        public Receiver(HttpStatusCode first = HttpStatusCode.NoContent)
        {
            this.first = first;
            var port = NodeTool.FreePort();
            Url = $"http://127.0.0.1:{port}/hooks/stores";
            listener.Prefixes.Add($"http://127.0.0.1:{port}/hooks/");
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public async Task<IReadOnlyList<Received>> WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (received.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the receiver got {received.Count} of {count} events");
                await Task.Delay(100);
            }

            await Task.Delay(500); // nothing more arrives
            Assert.Equal(count, received.Count);
            return [.. received];
        }

        public void Dispose() => listener.Close();

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var answer = received.IsEmpty ? first : HttpStatusCode.NoContent;
                received.Enqueue(new Received(body, context.Request.Headers[WebhookSignature.TimestampHeader], context.Request.Headers[WebhookSignature.SignatureHeader], context.Request.ContentType, DateTimeOffset.UtcNow, context.Request.Headers["traceparent"]));
                context.Response.StatusCode = (int)answer;
                context.Response.Close();
            }
        }
    }
}
