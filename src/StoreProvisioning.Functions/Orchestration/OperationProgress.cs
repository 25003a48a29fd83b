using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// The step an operation is at, as its orchestrator reports it in the durable custom status before each step runs
/// (<see cref="OperationSteps.Report"/>): a human step name, its 1-based index among the operation's steps and how
/// many there are, and when the step started (the orchestration's own clock, so replays agree).
/// </summary>
public sealed record OperationProgress(string Step, int Index, int Of, DateTime StartedAt)
{
    /// <summary>What a running instance reports (read with inputs and outputs); null when it is not running or has reported no step yet.</summary>
    public static OperationProgress? ReportedBy(OrchestrationMetadata? instance) =>
        instance is { IsRunning: true, SerializedCustomStatus: not null } ? instance.ReadCustomStatusAs<OperationProgress>() : null;
}

/// <summary>
/// Reads the <see cref="OperationProgress"/> of stores' running operations from the durable client, addressing the
/// instance as <see cref="OperationLauncher"/> names it. Only stores with an operation in flight (NEW, PROVISIONING,
/// DELETING: those a cancel could stop) are asked about, so a list of settled stores costs nothing. Best effort: a
/// task hub that does not answer gives no progress, never a failed request.
/// </summary>
public sealed class OperationProgressReader(ILogger<OperationProgressReader> logger)
{
    /// <summary>At most this many instances are asked about at once for one list page.</summary>
    private const int Parallelism = 8;

    /// <summary>Whether a store in this status has an operation whose progress can be read.</summary>
    public static bool InFlight(StoreStatus status) => LifecycleTransitions.SourcesFor(LifecycleCommand.Cancel).Contains(status);

    /// <summary>The progress of the store's current operation, or null when none runs or it has reported none yet.</summary>
    public async Task<OperationProgress?> ReadAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        if (!InFlight(store.Status) || store.OperationId is null)
        {
            return null;
        }

        try
        {
            var instance = await client.GetInstanceAsync(OperationLauncher.InstanceIdFor(store), getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (instance is not { IsRunning: true })
            {
                // The reconciler re-drives a lost delete under the same prefix (OperationLauncher.RedriveAsync).
                instance = await RedriveOfAsync(client, store, cancellationToken).ConfigureAwait(false) ?? instance;
            }

            return OperationProgress.ReportedBy(instance);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the progress of store {Store}'s operation", store.Name);
            return null;
        }
    }

    /// <summary>The progress of every store of a page that has an operation in flight, by store name.</summary>
    public async Task<IReadOnlyDictionary<string, OperationProgress>> ReadAllAsync(DurableTaskClient client, IReadOnlyList<Store> stores, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, OperationProgress>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            stores.Where(s => InFlight(s.Status)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (store, ct) =>
            {
                if (await ReadAsync(client, store, ct).ConfigureAwait(false) is { } progress)
                {
                    found[store.Name] = progress;
                }
            }).ConfigureAwait(false);
        return found;
    }

    private static async Task<OrchestrationMetadata?> RedriveOfAsync(DurableTaskClient client, Store store, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = OperationLauncher.InstanceIdFor(store) + "-redrive-", FetchInputsAndOutputs = true, PageSize = 20 };
        OrchestrationMetadata? running = null;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.IsRunning && (running is null || instance.CreatedAt > running.CreatedAt))
            {
                running = instance;
            }
        }

        return running;
    }
}
