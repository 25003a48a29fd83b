using System.Text.Json.Serialization;

namespace StoreProvisioning.Functions.Notifications;

/// <summary>
/// What the webhook receiver is told, as JSON (camelCase): the store became READY or FAILED, or was deleted, by one
/// operation. Built by the orchestrator from what it knows (deterministic); never holds a secret.
/// </summary>
/// <param name="Id">Stable per event (operation id + type): a receiver drops repeats of a retried delivery by it.</param>
/// <param name="Type"><c>store.ready</c>, <c>store.failed</c> or <c>store.deleted</c>.</param>
/// <param name="Error">Why the operation failed (the store's reason), or the delete's partial failures; else null.</param>
/// <param name="TraceParent">
/// The W3C traceparent of what announced it (the operation's launch span, or the cancel or reconciler pass that failed
/// the store). Not in the body: the delivery's span is its child and travels as the request's <c>traceparent</c> header.
/// Null in events queued before it existed.
/// </param>
public sealed record StoreEvent(
    string Id,
    string Type,
    string Store,
    string Engine,
    string Operation,
    string OperationId,
    int? Revision,
    string? Error,
    DateTimeOffset OccurredAt,
    string? TraceParent = null)
{
    public const string Ready = "store.ready";
    public const string Failed = "store.failed";
    public const string Deleted = "store.deleted";
}

/// <summary>Input of <see cref="DeliverStoreEvent"/>: the event and which attempt this is (1-based).</summary>
public sealed record WebhookDelivery(StoreEvent Event, int Attempt);

/// <summary>One delivery attempt's result. <paramref name="RetryAfter"/> null: stop (delivered, given up or not configured).</summary>
public sealed record WebhookAttempt(bool Delivered, TimeSpan? RetryAfter, string Summary)
{
    [JsonIgnore]
    public bool Again => !Delivered && RetryAfter is not null;
}
