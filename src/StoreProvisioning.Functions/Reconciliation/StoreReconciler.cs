using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>
/// Compares every store row with its orchestration and its release, and acts on what <see cref="ReconcileDecision"/>
/// decides: observe here, decide in the pure function, act and record here.
/// </summary>
public sealed class StoreReconciler(
    StoreRepository repository,
    HelmCli helm,
    KubectlCli kubectl,
    OperationLauncher launcher,
    TimeProvider clock,
    ILogger<StoreReconciler> logger)
{
    /// <summary>One pass over all stores. Returns how many stores it acted on. A store that cannot be observed is skipped, not guessed at.</summary>
    public async Task<int> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var acted = 0;
        foreach (var store in await repository.ListAsync(cancellationToken: cancellationToken))
        {
            try
            {
                var observed = await ObserveAsync(client, store, cancellationToken);
                var action = ReconcileDecision.Decide(observed, clock.GetUtcNow());
                if (action.Verdict != ReconcileVerdict.None && await ActAsync(client, store, action, cancellationToken))
                {
                    acted++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reconciler could not check store {Store}; it will try again next pass", store.Name);
            }
        }

        if (acted > 0)
        {
            logger.LogInformation("Reconciler acted on {Count} store(s)", acted);
        }

        return acted;
    }

    private async Task<ObservedStore> ObserveAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var orchestration = await OrchestrationStateAsync(client, store, cancellationToken);
        switch (store.Status)
        {
            case StoreStatus.Ready:
                try
                {
                    var release = await helm.StatusAsync(store.Release, store.Namespace, cancellationToken);
                    return new ObservedStore(store, orchestration, release, ReleaseChecked: true);
                }
                catch (CliCommandException ex)
                {
                    logger.LogInformation("Reconciler could not read release {Store}: {Reason}", store.Name, ex.Message);
                    return new ObservedStore(store, orchestration);
                }

            case StoreStatus.Deleting when orchestration == OrchestrationState.Running:
                return new ObservedStore(store, orchestration, NamespaceTerminating: await IsTerminatingAsync(store.Namespace, cancellationToken));

            default:
                return new ObservedStore(store, orchestration);
        }
    }

    private async Task<bool> ActAsync(DurableTaskClient client, Store store, ReconcileAction action, CancellationToken cancellationToken)
    {
        switch (action.Verdict)
        {
            case ReconcileVerdict.MarkFailed:
                var failed = store.Status == StoreStatus.Ready
                    ? await repository.FlagDriftAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileDrift, action.Reason), cancellationToken)
                    : await repository.FailAsync(store.Name, store.OperationId, action.Reason!, new ActivityDraft(AuditActions.ReconcileFailed, action.Reason), cancellationToken: cancellationToken);
                return failed.Applied;

            case ReconcileVerdict.Redrive:
                await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.ReconcileRedriven, action.Reason), cancellationToken);
                await launcher.RedriveAsync(client, store, clock.GetUtcNow(), cancellationToken);
                return true;

            case ReconcileVerdict.ReportStuckNamespace:
                var detail = await DescribeBlockersAsync(store.Namespace, cancellationToken);
                var last = (await repository.ListActivityAsync(1, store.Name, cancellationToken)).FirstOrDefault();
                if (last is { Action: AuditActions.NamespaceStuck } && last.Detail == detail)
                {
                    return false; // Already reported, nothing new to say.
                }

                await repository.RecordAsync(store.Name, store.UserId, store.OperationId, new ActivityDraft(AuditActions.NamespaceStuck, detail), cancellationToken);
                return true;

            default:
                return false;
        }
    }

    // An operation may have several instances (a redrive adds one); any of them running means the store is in hand.
    private static async Task<OrchestrationState> OrchestrationStateAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = OperationLauncher.InstanceIdFor(store), PageSize = 20 };
        var seen = false;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            seen = true;
            if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
            {
                return OrchestrationState.Running;
            }
        }

        return seen ? OrchestrationState.Ended : OrchestrationState.Missing;
    }

    private async Task<bool> IsTerminatingAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await kubectl.GetNamespaceAsync(ns, cancellationToken);
            return document is not null
                && document.RootElement.TryGetProperty("status", out var status)
                && status.TryGetProperty("phase", out var phase)
                && phase.GetString() == "Terminating";
        }
        catch (CliCommandException)
        {
            return false;
        }
    }

    /// <summary>"remaining: pod/x, pvc/y; finalizers: kubernetes; conditions: ..." — what keeps a namespace Terminating.</summary>
    private async Task<string> DescribeBlockersAsync(string ns, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        try
        {
            var remaining = await kubectl.GetRemainingResourcesAsync(ns, cancellationToken);
            parts.Add(remaining.Count == 0 ? "no workload resources left" : "remaining: " + string.Join(", ", remaining.Take(20)));
            using var document = await kubectl.GetNamespaceAsync(ns, cancellationToken);
            if (document is not null)
            {
                var root = document.RootElement;
                if (root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("finalizers", out var finalizers) && finalizers.GetArrayLength() > 0)
                {
                    parts.Add("finalizers: " + string.Join(", ", finalizers.EnumerateArray().Select(f => f.GetString())));
                }

                if (root.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions))
                {
                    var messages = conditions.EnumerateArray()
                        .Where(c => c.TryGetProperty("status", out var s) && s.GetString() == "True" && c.TryGetProperty("message", out _))
                        .Select(c => c.GetProperty("message").GetString())
                        .Take(3);
                    var text = string.Join("; ", messages);
                    if (text.Length > 0)
                    {
                        parts.Add("conditions: " + text);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is CliCommandException or JsonException or InvalidOperationException)
        {
            parts.Add("could not list what remains: " + ex.Message);
        }

        return $"Namespace {ns} is stuck Terminating; " + string.Join("; ", parts);
    }
}
