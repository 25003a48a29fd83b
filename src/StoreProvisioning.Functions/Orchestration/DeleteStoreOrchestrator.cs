using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// Deletes a store holding one cluster slot (<see cref="OperationSteps.WithClusterSlotAsync"/>), in order: <see cref="UninstallRelease"/>, <see cref="DeleteNamespaceAndRemoveStore"/> (the row
/// goes whatever kubectl did, with store.removed naming partial failures). Each step runs whatever the previous one
/// did. Only when the namespace step does not answer (deadline, crash) is the removal a step of its own,
/// <see cref="RemoveStore"/>. The namespace step removes the row itself so the removal is not queued again behind
/// other stores' cluster work.
/// </summary>
public sealed class DeleteStoreOrchestrator : StoreOrchestrator
{
    /// <summary>The operation's steps in order, as its progress reports them (<see cref="RemoveStore"/> stands in for the last).</summary>
    public static readonly IReadOnlyList<string> Steps = [OperationSteps.ClusterSlotStep, nameof(UninstallRelease), nameof(DeleteNamespaceAndRemoveStore)];

    protected override async Task<StepOutcome> RunStepsAsync(TaskOrchestrationContext context, StoreOperationInput input)
    {
        var log = context.CreateReplaySafeLogger(nameof(DeleteStoreOrchestrator));
        var steps = new OperationSteps(context, input, log, Steps);
        return await steps.WithClusterSlotAsync(() => DeleteAsync(context, input, steps, log));
    }

    private static async Task<StepOutcome> DeleteAsync(TaskOrchestrationContext context, StoreOperationInput input, OperationSteps steps, ILogger log)
    {
        var problems = new List<string>();

        steps.Report(nameof(UninstallRelease));
        var uninstall = await DeadlineRace.RunAsync(context, input, nameof(UninstallRelease), input);
        if (uninstall.Result == StepResult.Superseded)
        {
            log.LogWarning("Delete of store {Store} stopped at uninstall: {Reason}", input.StoreName, uninstall.Message);
            return uninstall;
        }

        if (!uninstall.Succeeded)
        {
            problems.Add(uninstall.Message ?? "helm uninstall failed");
            if (uninstall.NeedsRecording)
            {
                await steps.RecordAsync(nameof(AppendActivityNote), new AuditNote(input, AuditActions.UninstallFailed, uninstall.Message!));
            }
        }

        steps.Report(nameof(DeleteNamespaceAndRemoveStore));
        var removal = await DeadlineRace.RunAsync(context, input, nameof(DeleteNamespaceAndRemoveStore), new RemovalRequest(input, [.. problems]));
        switch (removal.Result)
        {
            case StepResult.Superseded:
                log.LogWarning("Delete of store {Store} stopped at the namespace: {Reason}", input.StoreName, removal.Message);
                return removal;
            case StepResult.Failed:
                problems.Add(removal.Message ?? "namespace deletion failed"); // recorded, and the row removed, by the step
                break;
            case StepResult.TimedOut or StepResult.Crashed:
                problems.Add(removal.Message!);
                await steps.RecordAsync(nameof(AppendActivityNote), new AuditNote(input, AuditActions.NamespaceDeleteFailed, removal.Message!));
                await steps.RecordAsync(nameof(RemoveStore), new RemovalRequest(input, problems));
                break;
        }

        log.LogInformation("Store {Store} deleted{Partial}", input.StoreName, problems.Count == 0 ? string.Empty : " with partial failures: " + string.Join("; ", problems));
        return problems.Count == 0 ? StepOutcome.Ok(note: "deleted") : StepOutcome.Fail("deleted with partial failures: " + string.Join("; ", problems));
    }
}
