using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class ReconcileDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Old = ReconcileDecision.SettleTime + TimeSpan.FromSeconds(1);

    private static Store StoreIn(StoreStatus status, TimeSpan age, StoreOperation operation = StoreOperation.Install) => new()
    {
        Id = "id",
        Name = "acme",
        UserId = "alice",
        Engine = StoreEngine.WooCommerce,
        Status = status,
        Operation = operation,
        OperationId = "op1",
        CreatedAt = Now - age,
        UpdatedAt = Now - age,
    };

    // The verdict for every in-flight status × orchestration state, once the row has settled, written out by hand.
    [Theory]
    [InlineData(StoreStatus.New, OrchestrationState.Running, ReconcileVerdict.None)]
    [InlineData(StoreStatus.New, OrchestrationState.Ended, ReconcileVerdict.MarkFailed)]
    [InlineData(StoreStatus.New, OrchestrationState.Missing, ReconcileVerdict.MarkFailed)]
    [InlineData(StoreStatus.Provisioning, OrchestrationState.Running, ReconcileVerdict.None)]
    [InlineData(StoreStatus.Provisioning, OrchestrationState.Ended, ReconcileVerdict.MarkFailed)]
    [InlineData(StoreStatus.Provisioning, OrchestrationState.Missing, ReconcileVerdict.MarkFailed)]
    [InlineData(StoreStatus.Deleting, OrchestrationState.Running, ReconcileVerdict.None)]
    [InlineData(StoreStatus.Deleting, OrchestrationState.Ended, ReconcileVerdict.Redrive)]
    [InlineData(StoreStatus.Deleting, OrchestrationState.Missing, ReconcileVerdict.Redrive)]
    [InlineData(StoreStatus.Failed, OrchestrationState.Missing, ReconcileVerdict.None)]
    [InlineData(StoreStatus.Failed, OrchestrationState.Ended, ReconcileVerdict.None)]
    public void In_flight_stores_without_a_running_orchestration_are_acted_on(StoreStatus status, OrchestrationState orchestration, ReconcileVerdict expected)
    {
        Assert.Equal(expected, ReconcileDecision.Decide(new ObservedStore(StoreIn(status, Old), orchestration), Now).Verdict);
    }

    // A row younger than the settle time is left alone whatever its orchestration says: it may be about to be queued.
    [Theory]
    [InlineData(StoreStatus.New)]
    [InlineData(StoreStatus.Provisioning)]
    [InlineData(StoreStatus.Deleting)]
    public void Fresh_rows_are_left_alone(StoreStatus status)
    {
        var young = StoreIn(status, ReconcileDecision.SettleTime - TimeSpan.FromSeconds(1));
        Assert.Equal(ReconcileVerdict.None, ReconcileDecision.Decide(new ObservedStore(young, OrchestrationState.Missing), Now).Verdict);
    }

    // The failure reason names the interrupted operation and tells the operator to retry.
    [Fact]
    public void Interrupted_operation_reason_is_retryable()
    {
        var action = ReconcileDecision.Decide(new ObservedStore(StoreIn(StoreStatus.Provisioning, Old, StoreOperation.Upgrade), OrchestrationState.Missing), Now);
        Assert.Contains("upgrade was interrupted", action.Reason);
        Assert.Contains("Retry", action.Reason);
    }

    // A READY store is judged by its release only when helm could be asked: missing or not deployed is drift; a
    // deployed one gets the platform's isolation applied again only when that drifted (drift repair), else nothing.
    [Theory]
    [InlineData(true, null, null, ReconcileVerdict.MarkFailed)]
    [InlineData(true, HelmStatuses.Failed, null, ReconcileVerdict.MarkFailed)]
    [InlineData(true, HelmStatuses.PendingUpgrade, null, ReconcileVerdict.MarkFailed)]
    [InlineData(true, HelmStatuses.Deployed, "namespace store-acme lacks NetworkPolicy/store-default-deny", ReconcileVerdict.ReapplyIsolation)]
    [InlineData(true, HelmStatuses.Deployed, null, ReconcileVerdict.None)]
    [InlineData(false, null, null, ReconcileVerdict.None)]
    [InlineData(false, null, "namespace store-acme is missing", ReconcileVerdict.None)]
    public void Ready_store_release_drift(bool checkedRelease, string? releaseStatus, string? isolationDrift, ReconcileVerdict expected)
    {
        var release = releaseStatus is null ? null : new HelmReleaseStatus(releaseStatus, 3, null);
        var observed = new ObservedStore(StoreIn(StoreStatus.Ready, Old), OrchestrationState.Ended, release, checkedRelease, IsolationDrift: isolationDrift);
        var action = ReconcileDecision.Decide(observed, Now);
        Assert.Equal(expected, action.Verdict);
        if (expected == ReconcileVerdict.MarkFailed)
        {
            Assert.Contains("acme", action.Reason);
            Assert.Contains(releaseStatus ?? "missing", action.Reason);
        }

        if (expected == ReconcileVerdict.ReapplyIsolation)
        {
            Assert.Equal(isolationDrift, action.Reason);
        }
    }

    // A delete still running whose namespace hangs in Terminating is reported, not re-driven or failed.
    [Fact]
    public void Stuck_namespace_of_a_running_delete_is_reported()
    {
        var observed = new ObservedStore(StoreIn(StoreStatus.Deleting, Old, StoreOperation.Delete), OrchestrationState.Running, NamespaceTerminating: true);
        var action = ReconcileDecision.Decide(observed, Now);
        Assert.Equal(ReconcileVerdict.ReportStuckNamespace, action.Verdict);
        Assert.Contains("store-acme", action.Reason);
    }
}
