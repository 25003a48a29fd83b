using System.Diagnostics;
using StoreProvisioning.Application;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// `helm rollback` to the requested revision, or the last good one before the current (<see cref="RollbackTarget"/>
/// over `helm history`). Ends the store READY at the new revision, or FAILED with the reason.
/// </summary>
public sealed class RollbackRelease(StepTelemetry telemetry, StoreRepository repository, HelmCli helm, ClusterStepGate gate, ReleaseResults results)
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

        var requested = OperationArgs.Parse(input.ArgsJson)?.Revision;
        try
        {
            var history = await helm.HistoryAsync(store!.Release, store.Namespace, cancellationToken);
            var (target, why) = RollbackTarget.Choose(history, requested);
            if (target is null)
            {
                var reason = $"Rollback failed: {why}";
                await repository.FailAsync(store.Name, input.OperationId, reason, new ActivityDraft(AuditActions.RollbackFailed, reason), cancellationToken: CancellationToken.None);
                return StepOutcome.Fail(reason);
            }

            await helm.RollbackAsync(store.Release, target.Value, store.Namespace, cancellationToken);
            return await results.RecordAsync(store, input, StoreOperation.Rollback, $"rolled back to revision {target}", reported: null, clock, cancellationToken);
        }
        catch (CliCommandException ex)
        {
            return await results.FailAsync(store!, input, StoreOperation.Rollback, ex, clock);
        }
    }
}
