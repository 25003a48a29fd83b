using System.Net.Http.Headers;
using System.Text;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Observability;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Notifications;

/// <summary>
/// Sends one store event to NOTIFY_WEBHOOK_URL once, signed (<see cref="WebhookSignature"/>), and writes the attempt to
/// the store's activity (webhook.delivered / webhook.failed: the event type, the attempt, the HTTP status or the
/// connection error; never the body, the secret or the URL's path), with the trace id of the operation it announces.
/// Each attempt is a span, a child of what announced the event (<see cref="StoreEvent.TraceParent"/>), sent to the
/// receiver as the W3C <c>traceparent</c> header. Says whether and when to try again.
/// </summary>
public sealed class DeliverStoreEvent(
    StoreProvisioningOptions options, StoreRepository repository, StoreQueries queries, TimeProvider clock, ILogger<DeliverStoreEvent> logger)
    : TaskActivity<WebhookDelivery, WebhookAttempt>
{
    // One client for the app: no redirects (a signed event goes only where the operator pointed it), a short timeout.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    // The body is the event without its trace context, which travels in the traceparent header.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                type =>
                {
                    if (type.Type == typeof(StoreEvent) && type.Properties.FirstOrDefault(p => p.Name == "traceParent") is { } traceParent)
                    {
                        type.Properties.Remove(traceParent);
                    }
                },
            },
        },
    };

    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);

    public override Task<WebhookAttempt> RunAsync(TaskActivityContext context, WebhookDelivery delivery) => RunAsync(delivery, CancellationToken.None);

    public async Task<WebhookAttempt> RunAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        if (options.NotifyWebhookUrl is not { } url || options.NotifyWebhookSecret is not { } secret)
        {
            return new WebhookAttempt(false, null, "no webhook configured");
        }

        var evt = delivery.Event;
        var store = await repository.GetAsync(evt.Store, cancellationToken);
        if (delivery.Attempt == 1 && !StillTrue(evt, store))
        {
            // e.g. a late step report the store did not take, or a delete that left a tombstone: nothing to announce.
            return new WebhookAttempt(false, null, $"{evt.Type} is not what the store records; not announced");
        }

        var body = JsonSerializer.Serialize(evt, Json);
        using var span = Tracing.StartSpan(nameof(DeliverStoreEvent), evt.TraceParent, ActivityKind.Client);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        string outcome;
        var delivered = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret.Value, timestamp, body));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("store-provisioning", "1"));
            request.Headers.Add("traceparent", Tracing.TraceParentOf(span));
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            delivered = response.IsSuccessStatusCode;
            outcome = $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            outcome = $"no answer ({ex.HttpRequestError})";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = $"no answer within {Http.Timeout.TotalSeconds:0} s";
        }

        if (!delivered)
        {
            Tracing.Fail(span, outcome);
        }

        var last = delivery.Attempt >= options.NotifyWebhookAttempts;
        TimeSpan? retryAfter = delivered || last ? null : Backoff(delivery.Attempt);
        var where = url.GetLeftPart(UriPartial.Authority);
        var detail = $"{evt.Type} to {where}: attempt {delivery.Attempt} of {options.NotifyWebhookAttempts}, {outcome}"
            + (delivered ? "." : retryAfter is { } wait ? $"; next attempt in {Cluster.CliRunner.Describe(wait)}." : "; given up.");
        // The delivery runs in an orchestration of its own: its row joins the announced operation's trace by that
        // operation's rows, so the activity trail reads as one story.
        var traceId = await queries.TraceIdOfOperationAsync(evt.Store, evt.OperationId, cancellationToken);
        await repository.RecordAsync(evt.Store, store?.UserId, evt.OperationId,
            new ActivityDraft(delivered ? AuditActions.WebhookDelivered : AuditActions.WebhookFailed, detail) { TraceId = traceId }, cancellationToken);
        if (delivered)
        {
            logger.LogInformation("Store {Store}: {Detail}", evt.Store, detail);
        }
        else
        {
            logger.LogWarning("Store {Store}: webhook {Detail}", evt.Store, detail);
        }

        return new WebhookAttempt(delivered, retryAfter, detail);
    }

    /// <summary>The event states what the row records for that operation (checked before the first attempt only: later the store may move on).</summary>
    private static bool StillTrue(StoreEvent evt, Store? store) => evt.Type switch
    {
        StoreEvent.Deleted => store is null || store.OperationId != evt.OperationId,
        StoreEvent.Ready => store is { Status: StoreStatus.Ready } && store.OperationId == evt.OperationId,
        StoreEvent.Failed => store is { Status: StoreStatus.Failed } && store.OperationId == evt.OperationId,
        _ => false,
    };

    /// <summary>NOTIFY_WEBHOOK_RETRY_DELAY before the second attempt, doubling for each later one, at most 10 minutes.</summary>
    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, options.NotifyWebhookRetryDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
}
