using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Configuration;
using StoreProvisioning.Observability;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Starts the orchestration for an operation the store row has just accepted.</summary>
public sealed class OperationLauncher(StoreService stores, StoreProvisioningOptions options, ILogger<OperationLauncher> logger)
{
    /// <summary>The orchestrator that carries out each operation.</summary>
    public static string OrchestratorFor(StoreOperation operation) => operation switch
    {
        StoreOperation.Install => nameof(ProvisionStoreOrchestrator),
        StoreOperation.Upgrade => nameof(UpgradeStoreOrchestrator),
        StoreOperation.Rollback => nameof(RollbackStoreOrchestrator),
        StoreOperation.Retry => nameof(RetryStoreOrchestrator),
        StoreOperation.Delete => nameof(DeleteStoreOrchestrator),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>One instance per operation: the id says which store and which operation it drives.</summary>
    public static string InstanceIdFor(Store store) => $"store-{store.Name}-{store.OperationId}";

    /// <summary>How an operation's orchestration is started: under <paramref name="instanceId"/>, at the current step order.</summary>
    public static StartOrchestrationOptions StartOptions(string instanceId) => new() { InstanceId = instanceId, Version = OrchestrationVersions.Current };

    /// <summary>
    /// The orchestration input for the store's current operation. A retry carries the operation the row recorded as
    /// failed (every FAILED row has one); the
    /// deadline (<see cref="StoreProvisioningOptions.OperationDeadline"/>) travels in the input so orchestrators stay
    /// deterministic.
    /// </summary>
    public static StoreOperationInput InputFor(Store store, TimeSpan? deadline = null, bool notify = false, string? traceParent = null) =>
        new(
            store.Name,
            store.OperationId!,
            store.Operation!.Value,
            store.Engine,
            store.OperationArgs,
            deadline,
            store.Operation == StoreOperation.Retry
                ? store.FailedOperation ?? throw new InvalidOperationException($"Store '{store.Name}' is retried but records no failed operation.")
                : null,
            notify,
            traceParent);

    /// <summary>
    /// The operation's launch span, "orchestrate {orchestrator}": a child of the current span (the HTTP request's, or the
    /// reconciler's), ended once the orchestration is scheduled. Its traceparent travels in the input; the activities'
    /// spans are its children, so one operation is one trace.
    /// </summary>
    private static Activity StartLaunchSpan(string orchestrator, Store store)
    {
        var span = Tracing.StartSpan($"orchestrate {orchestrator}", kind: ActivityKind.Producer);
        span.SetTag("store.name", store.Name);
        span.SetTag("store.operation", store.Operation?.Name());
        span.SetTag("store.operation_id", store.OperationId);
        return span;
    }

    /// <summary>
    /// Starts the store's current operation once more under a fresh instance id (same prefix, so the reconciler sees
    /// it as the same operation). Only for idempotent operations whose first run is gone.
    /// </summary>
    public async Task RedriveAsync(DurableTaskClient client, Store store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instanceId = $"{InstanceIdFor(store)}-redrive-{now.ToUnixTimeSeconds()}";
        var orchestrator = OrchestratorFor(store.Operation!.Value);
        using var span = StartLaunchSpan(orchestrator, store);
        var traceParent = Tracing.TraceParentOf(span);
        using var scope = OperationLogScope.Begin(logger, store.Name, store.OperationId, Tracing.TraceIdOf(traceParent));
        await client.ScheduleNewOrchestrationInstanceAsync(
            orchestrator,
            InputFor(store, options.OperationDeadline, options.NotifyWebhookUrl is not null, traceParent),
            StartOptions(instanceId),
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Re-drove {Operation} of store {Store} as {InstanceId}", store.Operation, store.Name, instanceId);
    }

    /// <summary>
    /// Schedules the orchestration. If scheduling fails the store is marked FAILED with the reason (retryable), so
    /// an accepted request never leaves a store waiting for work that was never queued. Returns false then.
    /// </summary>
    public async Task<bool> StartAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var orchestrator = OrchestratorFor(store.Operation!.Value);
        using var span = StartLaunchSpan(orchestrator, store);
        var traceParent = Tracing.TraceParentOf(span);
        using var scope = OperationLogScope.Begin(logger, store.Name, store.OperationId, Tracing.TraceIdOf(traceParent));
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                orchestrator,
                InputFor(store, options.OperationDeadline, options.NotifyWebhookUrl is not null, traceParent),
                StartOptions(InstanceIdFor(store)),
                cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Started {Orchestrator} for store {Store} (operation {OperationId})", orchestrator, store.Name, store.OperationId);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Tracing.Fail(span, "the durable task hub did not accept the orchestration");
            logger.LogError(ex, "Could not start {Orchestrator} for store {Store}", orchestrator, store.Name);
            await stores.MarkNotStartedAsync(store, "the durable task hub did not accept the orchestration (" + ex.GetType().Name + ")", CancellationToken.None).ConfigureAwait(false);
            return false;
        }
    }
}
