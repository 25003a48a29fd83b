using Prometheus;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Observability;

/// <summary>
/// Every Prometheus series of the control plane, defined in this one place on a registry of its own (not
/// prometheus-net's static default), so each app instance (and each test host) has its own. Counters and histograms
/// are observed as things happen: an operation's run once its outcome is committed (<see cref="IOperationRunObserver"/>,
/// told by <see cref="StoreRepository"/>), every helm/kubectl process (<see cref="ICliObserver"/>, told by
/// <see cref="CliRunner"/>), each reconciler pass. Gauges of the database's state are read when scraped.
/// Names follow Flux and Argo CD (store_operations_total, store_info, ...).
/// </summary>
public sealed class ControlPlaneMetrics : IOperationRunObserver, ICliObserver
{
    /// <summary>The Prometheus text exposition format prometheus-net writes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] OperationBuckets = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];
    private static readonly double[] CliBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly ObservabilityQueries queries;
    private readonly StoreProvisioningOptions options;
    private readonly SemaphoreSlim scrapeLock = new(1, 1);
    private readonly Counter operations;
    private readonly Histogram operationDuration;
    private readonly Histogram cliDuration;
    private readonly Gauge slotsInUse;
    private readonly Gauge operationsWaiting;
    private readonly Gauge storeInfo;
    private readonly Gauge stores;
    private readonly Counter reconcileRuns;
    private readonly Counter driftDetected;
    private HashSet<StoreInfoLabels> publishedInfo = [];

    public ControlPlaneMetrics(ObservabilityQueries queries, StoreProvisioningOptions options)
    {
        this.queries = queries;
        this.options = options;
        Registry = Metrics.NewCustomRegistry();
        // The usual process and runtime series (process_cpu_seconds_total, process_resident_memory_bytes,
        // dotnet_collection_count_total, ...).
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);

        operations = factory.CreateCounter(
            "store_operations_total", "Store operations finished, by operation (install, upgrade, rollback, retry, delete) and result (succeeded, failed, cancelled).",
            new CounterConfiguration { LabelNames = ["operation", "result"] });
        operationDuration = factory.CreateHistogram(
            "store_operation_duration_seconds", "Time from accepting a store operation to its outcome, by operation and result.",
            new HistogramConfiguration { LabelNames = ["operation", "result"], Buckets = OperationBuckets });
        cliDuration = factory.CreateHistogram(
            "store_cli_exec_duration_seconds", "Duration of each helm/kubectl process, by tool, subcommand and exit (code, timeout, missing or cancelled).",
            new HistogramConfiguration { LabelNames = ["tool", "command", "exit"], Buckets = CliBuckets });
        slotsInUse = factory.CreateGauge(
            "store_cluster_slots_in_use", "Operations holding a cluster slot now, across every instance (at most PROVISION_CONCURRENCY).");
        operationsWaiting = factory.CreateGauge(
            "store_operations_waiting", "Operations waiting for a cluster slot now, across every instance.");
        storeInfo = factory.CreateGauge(
            "store_info", "One series per store (value 1) with its engine, status and helm revision.",
            new GaugeConfiguration { LabelNames = ["store", "engine", "status", "revision"] });
        stores = factory.CreateGauge(
            "stores", "Stores by status and engine.",
            new GaugeConfiguration { LabelNames = ["status", "engine"] });
        reconcileRuns = factory.CreateCounter(
            "store_reconcile_runs_total", "Reconciler passes, by result (success, or error when the pass or a store's check failed).",
            new CounterConfiguration { LabelNames = ["result"] });
        driftDetected = factory.CreateCounter(
            "store_drift_detected_total", "Differences the reconciler found and acted on, by kind (release, isolation, interrupted_operation, interrupted_delete, namespace_stuck).",
            new CounterConfiguration { LabelNames = ["kind"] });
    }

    /// <summary>This app's registry: what GET /api/metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    public void Finished(OperationRun run)
    {
        var labels = new[] { run.Operation.Name(), run.Result.Name() };
        operations.WithLabels(labels).Inc();
        operationDuration.WithLabels(labels).Observe(run.Duration.TotalSeconds);
    }

    public void Exited(CliExecution execution) =>
        cliDuration.WithLabels(execution.Tool, execution.Command, execution.Exit).Observe(execution.Duration.TotalSeconds);

    /// <summary>One reconciler pass ended.</summary>
    public void ReconcileRun(bool succeeded) => reconcileRuns.WithLabels(succeeded ? "success" : "error").Inc();

    /// <summary>The reconciler found (and acted on) a difference of this kind.</summary>
    public void DriftDetected(string kind) => driftDetected.WithLabels(kind).Inc();

    /// <summary>Reads the gauges' state from the database (one query for the stores, one for the queue), then writes every series as text.</summary>
    public async Task<byte[]> ScrapeAsync(CancellationToken cancellationToken)
    {
        await scrapeLock.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            using var stream = new MemoryStream();
            await Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
            return stream.ToArray();
        }
        finally
        {
            scrapeLock.Release();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var queue = await queries.QueueAsync(options.ProvisionConcurrency, cancellationToken);
        slotsInUse.Set(queue.InUse);
        operationsWaiting.Set(queue.Waiting);

        var rows = await queries.StoresAsync(cancellationToken);
        var info = rows
            .Select(r => new StoreInfoLabels(r.Name, r.Engine.Name(), r.Status.Name(), r.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty))
            .ToHashSet();
        foreach (var gone in publishedInfo.Except(info))
        {
            storeInfo.RemoveLabelled(gone.Store, gone.Engine, gone.Status, gone.Revision);
        }

        foreach (var store in info)
        {
            storeInfo.WithLabels(store.Store, store.Engine, store.Status, store.Revision).Set(1);
        }

        publishedInfo = info;

        // Every status × engine, zero included, so a count that drops to nothing reads 0 rather than vanishing.
        var counts = rows.GroupBy(r => (r.Status, r.Engine)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var status in Enum.GetValues<StoreStatus>())
        {
            foreach (var engine in Enum.GetValues<StoreEngine>())
            {
                stores.WithLabels(status.Name(), engine.Name()).Set(counts.GetValueOrDefault((status, engine)));
            }
        }
    }

    private sealed record StoreInfoLabels(string Store, string Engine, string Status, string Revision);
}

/// <summary>The kind label of store_drift_detected_total: what the reconciler found.</summary>
public static class DriftKinds
{
    /// <summary>A READY store's helm release is missing or not deployed (the store is marked FAILED).</summary>
    public const string Release = "release";

    /// <summary>A READY store's namespace isolation (quota, limits, NetworkPolicies, labels) differs from its render (re-applied).</summary>
    public const string Isolation = "isolation";

    /// <summary>A NEW/PROVISIONING store whose orchestration is no longer running (marked FAILED, retryable).</summary>
    public const string InterruptedOperation = "interrupted_operation";

    /// <summary>A DELETING store whose orchestration is no longer running (the delete is started again).</summary>
    public const string InterruptedDelete = "interrupted_delete";

    /// <summary>A deleting store's namespace stuck in Terminating (reported once per new blocker).</summary>
    public const string NamespaceStuck = "namespace_stuck";
}
