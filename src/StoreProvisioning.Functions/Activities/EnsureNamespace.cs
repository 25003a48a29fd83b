using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Creates (or re-labels) namespace store-{name} under a cluster slot (namespace.ready). On failure the store becomes
/// FAILED with the reason. Idempotent: `kubectl apply` of the same manifest.
/// </summary>
public sealed class EnsureNamespace(StoreRepository repository, KubectlCli kubectl, ClusterWorkLimiter limiter, ILogger<EnsureNamespace> logger)
    : StoreActivity<StoreOperationInput>
{
    public override async Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Check(store, input, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        var ns = store!.Namespace;
        var clock = Stopwatch.StartNew();
        try
        {
            using (await limiter.AcquireAsync(input.OperationId, cancellationToken))
            {
                await kubectl.EnsureNamespaceAsync(ns, store.Name, cancellationToken);
            }
        }
        catch (CliCommandException ex)
        {
            var reason = $"{OperationWords.Title(input.Runs)} failed: could not create namespace {ns}: {CliFailureReason.For(ex)}";
            logger.LogWarning("Namespace {Namespace} for store {Store} failed: {Reason}", ns, store.Name, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceFailed, ex.Message, clock.Elapsed), CancellationToken.None);
            await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(OperationWords.AuditFor(input.Runs).Failed, reason), cancellationToken: CancellationToken.None);
            return StepOutcome.Fail(reason);
        }

        await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.NamespaceReady, ns, clock.Elapsed), CancellationToken.None);
        return StepOutcome.Ok();
    }
}
