using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>`helm uninstall` at the start of a delete. Records its outcome; a failure does not stop the delete.</summary>
public sealed class UninstallRelease(StepTelemetry telemetry, StoreRepository repository, HelmCli helm, ClusterStepGate gate, ILogger<UninstallRelease> logger)
    : StoreActivity<StoreOperationInput>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var run = await gate.EnterAsync(input, cancellationToken);
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Check(store, input, StoreStatus.Deleting) is { } stop)
        {
            return stop;
        }

        try
        {
            await helm.UninstallAsync(store!.Release, store.Namespace, cancellationToken);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.UninstallSucceeded, store.Release, clock.Elapsed), CancellationToken.None);
            return StepOutcome.Ok();
        }
        catch (CliCommandException ex)
        {
            var reason = $"helm uninstall failed: {CliFailureReason.For(ex)}";
            logger.LogWarning("Uninstalling {Release} failed: {Reason}", store!.Release, reason);
            await repository.RecordAsync(store.Name, store.UserId, input.OperationId, new ActivityDraft(AuditActions.UninstallFailed, ex.Message, clock.Elapsed), CancellationToken.None);
            return StepOutcome.Fail(reason);
        }
    }
}
