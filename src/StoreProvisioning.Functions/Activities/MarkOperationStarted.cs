using System.Text.Json;
using StoreProvisioning.Application;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The first step of an install, upgrade or rollback (and of a retry of one): marks the operation started on the
/// store. For an install that is the move NEW → PROVISIONING (install.started), idempotent for the same operation;
/// for the others, and for a retry (the request already moved the store to PROVISIONING), the {operation}.started
/// audit row. Database only.
/// </summary>
public sealed class MarkOperationStarted(StepTelemetry telemetry, StoreRepository repository) : StoreActivity<StoreOperationInput>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(StoreOperationInput input, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(input.StoreName, cancellationToken);
        if (StepFence.Check(store, input, StoreStatus.New, StoreStatus.Provisioning) is { } stop)
        {
            return stop;
        }

        if (input.Operation == StoreOperation.Install)
        {
            var begun = await repository.BeginInstallAsync(
                store!.Name, input.OperationId, new ActivityDraft(AuditActions.InstallStarted, $"namespace {store.Namespace}, chart {input.Engine.Name()}"), cancellationToken);
            var alreadyBegun = begun.Store is { Status: StoreStatus.Provisioning } now && now.OperationId == input.OperationId;
            return begun.Applied || alreadyBegun ? StepOutcome.Ok() : StepOutcome.Moved(begun.Reason ?? "The store could not start installing.");
        }

        var args = OperationArgs.Parse(input.ArgsJson);
        var detail = input.Runs switch
        {
            StoreOperation.Upgrade => args?.Values is { ValueKind: JsonValueKind.Object } ? "with value overrides" : "re-apply chart",
            StoreOperation.Rollback => args?.Revision is { } revision ? $"to revision {revision}" : "to the previous good revision",
            _ => "retry of the failed install",
        };
        await repository.RecordAsync(store!.Name, store.UserId, input.OperationId, new ActivityDraft(OperationWords.AuditFor(input.Runs).Started, detail), cancellationToken);
        return StepOutcome.Ok();
    }
}
