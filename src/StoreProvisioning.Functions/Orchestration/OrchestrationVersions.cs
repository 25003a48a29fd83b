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

    /// <summary>
    /// Since "3" the release of a slot marks the operation it admits started, when that operation asked for it as it
    /// queued (<see cref="Activities.ReleaseClusterSlotAndStartNext"/>), and says so in the wake-up event: the woken
    /// operation goes straight to its first cluster step instead of claiming once more (one activity and two orchestrator
    /// episodes less per slot hand-over). Any other wake-up, or a release from before, makes it claim again as in "2".
    /// </summary>
    public const string StartedByRelease = "3";

    /// <summary>The version new operations start at.</summary>
    public const string Current = StartedByRelease;

    /// <summary>Whether this orchestration marks its operation started when the slot queue admits it.</summary>
    public static bool MarksStartedOnAdmission(TaskOrchestrationContext context) => context.CompareVersionTo(StartsOnAdmission) >= 0;

    /// <summary>Whether this orchestration's releases start the operations they admit, and it may be started by one.</summary>
    public static bool StartsWithRelease(TaskOrchestrationContext context) => context.CompareVersionTo(StartedByRelease) >= 0;
}
