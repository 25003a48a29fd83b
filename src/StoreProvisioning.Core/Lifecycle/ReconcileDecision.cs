using StoreProvisioning.Cluster;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Lifecycle;

/// <summary>What the durable engine says of the orchestration that drives a store's current operation.</summary>
public enum OrchestrationState
{
    /// <summary>Queued or running: durability will carry it on.</summary>
    Running,

    /// <summary>Completed, failed or terminated: nothing will touch the store again.</summary>
    Ended,

    /// <summary>The engine has no such instance (lost with an in-memory engine, or never queued).</summary>
    Missing,
}

/// <summary>What the reconciler saw of one store.</summary>
/// <param name="Release">helm status for a READY store (null when helm has no release); not looked up for other statuses.</param>
/// <param name="ReleaseChecked">False when helm could not be asked (cluster unreachable): then no verdict on the release.</param>
/// <param name="NamespaceTerminating">For a DELETING store: the namespace is stuck in phase Terminating.</param>
/// <param name="IsolationDrift">For a READY store: how its platform isolation differs from the render (null: it does not).</param>
public sealed record ObservedStore(
    Store Store,
    OrchestrationState Orchestration,
    HelmReleaseStatus? Release = null,
    bool ReleaseChecked = false,
    bool NamespaceTerminating = false,
    string? IsolationDrift = null);

/// <summary>The reconciler's verdicts.</summary>
public enum ReconcileVerdict
{
    /// <summary>Database and reality agree, or an operation is still under way.</summary>
    None,

    /// <summary>Mark the store FAILED with the reason; the operator can retry.</summary>
    MarkFailed,

    /// <summary>Start the store's operation again (deletes are idempotent and must finish).</summary>
    Redrive,

    /// <summary>Tell the operator what blocks the namespace (audit entry), without changing status.</summary>
    ReportStuckNamespace,

    /// <summary>A healthy store whose isolation drifted: apply the platform's isolation again, which repairs it.</summary>
    ReapplyIsolation,
}

public sealed record ReconcileAction(ReconcileVerdict Verdict, string? Reason = null)
{
    public static readonly ReconcileAction None = new(ReconcileVerdict.None);
}

/// <summary>
/// Observe → decide for the reconciler: compares a store's row with its orchestration and its release. Pure.
/// Durability resumes what it can; this covers what it cannot (a lost instance, drift made outside the control plane).
/// </summary>
public static class ReconcileDecision
{
    /// <summary>Rows younger than this are left alone: their orchestration may be about to be queued.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    public static ReconcileAction Decide(ObservedStore observed, DateTimeOffset now)
    {
        var store = observed.Store;
        var settled = now - store.UpdatedAt >= SettleTime;
        switch (store.Status)
        {
            case StoreStatus.New or StoreStatus.Provisioning when settled && observed.Orchestration != OrchestrationState.Running:
                return new ReconcileAction(
                    ReconcileVerdict.MarkFailed,
                    $"The {store.Operation?.Name() ?? "operation"} was interrupted: its orchestration is no longer running (the control plane may have restarted). Retry the store.");

            case StoreStatus.Deleting when settled && observed.Orchestration != OrchestrationState.Running:
                return new ReconcileAction(ReconcileVerdict.Redrive, "The delete was interrupted; starting it again.");

            case StoreStatus.Deleting when settled && observed.NamespaceTerminating:
                return new ReconcileAction(ReconcileVerdict.ReportStuckNamespace, $"Namespace {store.Namespace} is stuck in Terminating.");

            case StoreStatus.Ready when observed.ReleaseChecked && observed.Release is null:
                return new ReconcileAction(
                    ReconcileVerdict.MarkFailed,
                    $"Helm release '{store.Release}' is missing from namespace {store.Namespace} (removed outside the control plane). Retry to reinstall it.");

            case StoreStatus.Ready when observed.ReleaseChecked && observed.Release is { IsDeployed: false } release:
                return new ReconcileAction(
                    ReconcileVerdict.MarkFailed,
                    $"Helm release '{store.Release}' is {release.Status} at revision {release.Revision}, not deployed. Retry, upgrade or roll back the store.");

            case StoreStatus.Ready when observed.ReleaseChecked && observed.Release is { IsDeployed: true } && observed.IsolationDrift is { } drift:
                return new ReconcileAction(ReconcileVerdict.ReapplyIsolation, drift);
            default:
                return ReconcileAction.None;
        }
    }
}
