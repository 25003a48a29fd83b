using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Activities;

/// <summary>Writes one audit row on the orchestrator's behalf (e.g. a delete step that timed out). Database only.</summary>
public sealed class AppendActivityNote(StepTelemetry telemetry, StoreRepository repository) : StoreActivity<AuditNote>(telemetry)
{
    public override async Task<StepOutcome> RunAsync(AuditNote note, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(note.Operation.StoreName, cancellationToken);
        await repository.RecordAsync(note.Operation.StoreName, store?.UserId, note.Operation.OperationId, new ActivityDraft(note.Action, note.Detail), cancellationToken);
        return StepOutcome.Ok();
    }
}
