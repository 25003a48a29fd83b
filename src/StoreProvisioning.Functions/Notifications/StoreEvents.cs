using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Observability;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Notifications;

/// <summary>Turns an operation's recorded outcome into the store event the webhook receives, and starts its delivery.</summary>
public static class StoreEvents
{
    /// <summary>
    /// Called by an orchestrator last, once the outcome is recorded on the store: starts <see cref="NotifyWebhookOrchestrator"/>
    /// as a sub-orchestration it does not await, only when the operation's input asks for it
    /// (NOTIFY_WEBHOOK_URL set). An operation that was superseded (cancelled, moved on) announces nothing.
    /// </summary>
    public static void Announce(TaskOrchestrationContext context, StoreOperationInput input, StepOutcome outcome)
    {
        if (!input.Notify || EventFor(context, input, outcome) is not { } evt)
        {
            return;
        }

        _ = context.CallSubOrchestratorAsync(
            nameof(NotifyWebhookOrchestrator), evt, new SubOrchestrationOptions { InstanceId = $"notify-{input.StoreName}-{input.OperationId}" });
    }

    /// <summary>
    /// From outside an orchestration: announces that the store is FAILED by what <paramref name="failedBy"/> recorded on
    /// its row (a cancel, or the reconciler failing an interrupted operation or a drifted release), when NOTIFY_WEBHOOK_URL
    /// is set. <paramref name="store"/> is the row as that change left it; the event carries its operation id, so the
    /// delivery's check against the row holds. Never throws for a delivery it could not start: a receiver never fails
    /// the change that is being announced.
    /// </summary>
    public static async Task AnnounceFailedAsync(
        DurableTaskClient client, StoreProvisioningOptions options, ILogger logger,
        Store store, StoreOperation operation, string failedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.NotifyWebhookUrl is null)
        {
            return;
        }

        try
        {
            var operationId = store.OperationId ?? throw new InvalidOperationException($"The failed store {store.Name} has no operation id.");
            var evt = new StoreEvent(
                $"{operationId}:{StoreEvent.Failed}", StoreEvent.Failed, store.Name, store.Engine.Name(), operation.Name(), operationId,
                store.Revision, store.Error, now, Activity.Current is { } cause ? Tracing.TraceParentOf(cause) : null);
            // Its own instance id: the operation's orchestration may already have announced this operation id (e.g. READY).
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(NotifyWebhookOrchestrator), evt, new StartOrchestrationOptions($"notify-{store.Name}-{operationId}-{failedBy}"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not start the webhook delivery of store {Store}'s failure ({FailedBy})", store.Name, failedBy);
        }
    }

    /// <summary>The event for an outcome: READY, FAILED or deleted; null when the store moved on.</summary>
    public static StoreEvent? EventFor(TaskOrchestrationContext context, StoreOperationInput input, StepOutcome outcome)
    {
        var deleting = input.Runs == StoreOperation.Delete;
        var type = outcome.Result switch
        {
            StepResult.Superseded or StepResult.StillRunning => null,
            _ when deleting => StoreEvent.Deleted, // the row goes whatever the steps did (partial failures in Error)
            StepResult.Succeeded => StoreEvent.Ready,
            _ => StoreEvent.Failed,
        };
        return type is null
            ? null
            : new StoreEvent(
                $"{input.OperationId}:{type}", type, input.StoreName, input.Engine.Name(), input.Runs.Name(), input.OperationId,
                outcome.Revision, outcome.Succeeded ? null : outcome.Message, context.CurrentUtcDateTime, input.TraceParent);
    }
}
