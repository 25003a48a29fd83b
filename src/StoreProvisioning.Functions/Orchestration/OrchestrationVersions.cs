using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// The versions of the operation orchestrators' step order. An orchestration keeps the version it was started with
/// (<see cref="TaskOrchestrationContext.Version"/>), so one started before a deploy replays the steps it took then.
/// <see cref="OperationLauncher"/> starts every operation at <see cref="Current"/>; host.json's
/// <c>durableTask.defaultVersion</c> says the same, so a worker never picks up an orchestration newer than its code.
/// </summary>
public static class OrchestrationVersions
{
    /// <summary>
    /// Since "2" the slot claim that admits an install, upgrade or rollback also marks it started
    /// (<see cref="Activities.ClaimClusterSlotAndMarkStarted"/>): a queued operation runs one activity before it waits,
    /// not two, and its store stays NEW until it holds a slot. Before (no version): <see cref="Activities.MarkOperationStarted"/>,
    /// then the claim.
    /// </summary>
    public const string StartsOnAdmission = "2";

    /// <summary>The version new operations start at.</summary>
    public const string Current = StartsOnAdmission;

    /// <summary>Whether this orchestration marks its operation started when the slot queue admits it.</summary>
    public static bool MarksStartedOnAdmission(TaskOrchestrationContext context) => context.CompareVersionTo(StartsOnAdmission) >= 0;
}
