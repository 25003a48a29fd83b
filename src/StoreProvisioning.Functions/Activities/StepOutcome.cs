using System.Text.Json.Serialization;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Activities;

/// <summary>How a step ended, as the orchestrator needs to know it to decide the next step.</summary>
public enum StepResult
{
    /// <summary>The step did its work (or found it already done) and recorded that.</summary>
    Succeeded,

    /// <summary>The step failed and has already recorded the failure on the store (FAILED with a reason, or an audit row).</summary>
    Failed,

    /// <summary>The store moved on (a newer operation, a different status, or it is gone): nothing was done or recorded.</summary>
    Superseded,

    /// <summary>Orchestrator only: the step's durable deadline passed before it answered. Nothing recorded yet.</summary>
    TimedOut,

    /// <summary>Orchestrator only: the activity threw unexpectedly. Nothing recorded yet.</summary>
    Crashed,

    /// <summary>
    /// <see cref="CheckStepStillRunning"/>: the step is still queued for a cluster slot, or has run for less than
    /// the deadline; wait <see cref="StepOutcome.WaitMore"/> longer.
    /// </summary>
    StillRunning,

    /// <summary><see cref="ClaimClusterSlot"/>: the operation is in the cluster slot queue, behind earlier ones.</summary>
    Queued,
}

/// <summary>What an activity returns to its orchestrator. Never holds secrets (it is kept in the durable history).</summary>
/// <param name="Message">A short human reason (failure) or note (success).</param>
/// <param name="Revision">The helm revision the release is at, when the step knows it.</param>
/// <param name="WaitMore">With <see cref="StepResult.StillRunning"/>: how much longer the orchestrator should wait.</param>
public sealed record StepOutcome(StepResult Result, string? Message = null, int? Revision = null, TimeSpan? WaitMore = null)
{
    [JsonIgnore]
    public bool Succeeded => Result == StepResult.Succeeded;

    /// <summary>True when the failure still has to be written down by the orchestrator (the activity could not).</summary>
    [JsonIgnore]
    public bool NeedsRecording => Result is StepResult.TimedOut or StepResult.Crashed;

    public static StepOutcome Ok(int? revision = null, string? note = null) => new(StepResult.Succeeded, note, revision);

    public static StepOutcome Fail(string reason, int? revision = null) => new(StepResult.Failed, reason, revision);

    public static StepOutcome Moved(string reason) => new(StepResult.Superseded, reason);
}

/// <summary>Input of <see cref="MarkStoreFailed"/>: mark the store FAILED (fenced by the operation id).</summary>
/// <param name="TimedOut">The operation's deadline passed: audit as operation.timed-out.</param>
/// <param name="CollectDiagnostics">Read pods and events of the namespace and add the summary to the reason.</param>
public sealed record FailureReport(StoreOperationInput Operation, string Reason, bool TimedOut, bool CollectDiagnostics);

/// <summary>Input of <see cref="AppendActivityNote"/>: an audit row written on the orchestrator's behalf.</summary>
public sealed record AuditNote(StoreOperationInput Operation, string Action, string Detail);

/// <summary>Input of <see cref="DeleteNamespaceAndRemoveStore"/> and <see cref="RemoveStore"/>: the delete's partial failures so far, for the store.removed row.</summary>
public sealed record RemovalRequest(StoreOperationInput Operation, IReadOnlyList<string> Problems);

/// <summary>Input of <see cref="ClaimClusterSlot"/>: the operation, and the orchestration instance to wake when it is admitted.</summary>
/// <param name="StartedByRelease">
/// A queued operation asks the release that admits it to mark it started too (<see cref="ReleaseClusterSlotAndStartNext"/>),
/// so it wakes up ready for its first cluster step. False in requests from before orchestrator version 3.
/// </param>
public sealed record SlotRequest(StoreOperationInput Operation, string InstanceId, bool StartedByRelease = false);
