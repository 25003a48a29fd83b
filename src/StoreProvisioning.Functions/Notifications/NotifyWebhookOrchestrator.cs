using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Notifications;

/// <summary>
/// Delivers one store event: <see cref="DeliverStoreEvent"/>, and while it asks for another try, a durable timer and
/// the next attempt. Runs on its own, started by <see cref="StoreEvents.Announce"/> after the operation recorded its
/// outcome and not awaited there, so a receiver that is down or failing never changes the operation's outcome (the
/// in-process engine still reports the operation's instance completed only when this one ends: README "Notifications").
/// Deterministic: the waits come from the activity's answers, which the history keeps.
/// </summary>
public sealed class NotifyWebhookOrchestrator : TaskOrchestrator<StoreEvent, bool>
{
    public override async Task<bool> RunAsync(TaskOrchestrationContext context, StoreEvent evt)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await context.CallActivityAsync<WebhookAttempt>(nameof(DeliverStoreEvent), new WebhookDelivery(evt, attempt));
            if (!result.Again)
            {
                return result.Delivered;
            }

            await context.CreateTimer(context.CurrentUtcDateTime + result.RetryAfter!.Value, CancellationToken.None);
        }
    }
}
