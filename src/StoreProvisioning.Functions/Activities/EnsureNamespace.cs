using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Creates namespace store-{name} with the platform's isolation (helm/store-namespace: Pod Security restricted, the
/// plan's quota and limits, NetworkPolicies, the store id label), or applies it again, under a cluster slot
/// (namespace.ready), before the release is installed or upgraded. A namespace labelled for another store id (or still
/// terminating) and a CLI failure make the store FAILED with the reason. Idempotent: `kubectl apply` of the same render.
/// </summary>
public sealed class EnsureNamespace(StepTelemetry telemetry, StoreRepository repository, StoreIsolation isolation, ClusterStepGate gate, ILogger<EnsureNamespace> logger)
    : StoreActivity<StoreOperationInput>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var run = await gate.EnterAsync(input, cancellationToken);
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Check(store, input, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var ns = store!.Namespace;
        IsolationResult applied;
        try
        {
            // A first install never adopts a namespace without this store's id: it may be a deleted store's leftover.
            applied = await isolation.ApplyAsync(store, adoptUnlabelled: input.Operation != StoreOperation.Install, cancellationToken);
        }
        catch (CliCommandException ex)
        {
            var reason = $"{OperationWords.Title(input.Runs)} failed: could not create namespace {ns} with its platform isolation: {CliFailureReason.For(ex)}";
            logger.LogWarning("Namespace {Namespace} for store {Store} failed: {Reason}", ns, store.Name, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceFailed, ex.Message, clock.Elapsed), CancellationToken.None);
            await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(OperationWords.AuditFor(input.Runs).Failed, reason), cancellationToken: CancellationToken.None);
            return StepOutcome.Fail(reason);
        }

        if (applied.Refusal is { } refusal)
        {
            var reason = $"{OperationWords.Title(input.Runs)} failed: {refusal}";
            logger.LogWarning("Namespace {Namespace} refused for store {Store}: {Reason}", ns, store.Name, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceFailed, refusal, clock.Elapsed), CancellationToken.None);
            await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(OperationWords.AuditFor(input.Runs).Failed, reason), cancellationToken: CancellationToken.None);
            return StepOutcome.Fail(reason);
        }

        await repository.RecordAsync(
            store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceReady, $"{ns}: platform isolation applied (plan {store.Plan})", clock.Elapsed), CancellationToken.None);
        return StepOutcome.Ok();
    }
}
