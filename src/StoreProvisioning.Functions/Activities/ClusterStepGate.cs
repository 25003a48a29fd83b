using Microsoft.Extensions.Logging;
using StoreProvisioning.Cluster;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The way into a step's cluster work: a slot of this process (<see cref="ClusterWorkLimiter"/>), then the store's
/// row in <see cref="ClusterStepRuns"/>, so a second delivery of a step (or a step of the store's next operation)
/// waits until the run under way ends, on whichever instance it runs. A step reads its store only once inside: a
/// delivery that waited then finds what the first run left (READY: already done) instead of acting on a stale read.
/// The lease is renewed while the step runs and let go when it ends; a run whose process died holds it at most
/// <see cref="Lease"/> longer.
/// </summary>
public sealed class ClusterStepGate(ClusterWorkLimiter limiter, ClusterStepRuns runs, ILogger<ClusterStepGate> logger)
{
    // Short, so a step whose process died holds up the next delivery briefly (under Durable Functions the redelivery
    // comes only after the queue's visibility timeout, 5 minutes by default); renewed three times per lease.
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RenewEvery = Lease / 3;
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Enters for a step of the operation, waiting while another run holds the store; dispose to leave.</summary>
    public async Task<IAsyncDisposable> EnterAsync(StoreOperationInput input, CancellationToken cancellationToken) =>
        (await EnterAsync(input.StoreName, input.OperationId, wait: true, cancellationToken))!;

    /// <summary>
    /// Enters for cluster work outside an operation (the reconciler's repair) only if no step of the store runs now;
    /// null otherwise. Dispose to leave.
    /// </summary>
    public Task<IAsyncDisposable?> TryEnterAsync(string storeName, CancellationToken cancellationToken) =>
        EnterAsync(storeName, operationId: null, wait: false, cancellationToken);

    private async Task<IAsyncDisposable?> EnterAsync(string storeName, string? operationId, bool wait, CancellationToken cancellationToken)
    {
        var slot = await limiter.AcquireAsync(operationId, cancellationToken);
        try
        {
            var runId = Guid.NewGuid().ToString("N");
            var waited = false;
            while (!await runs.TryStartAsync(storeName, runId, Lease, cancellationToken))
            {
                if (!wait)
                {
                    slot.Dispose();
                    return null;
                }

                if (!waited)
                {
                    logger.LogWarning(
                        "Store {Store}: another run of a cluster step is under way (a step delivered twice, or a run whose process died, until its lease of {Lease} runs out); waiting for it to end",
                        storeName,
                        CliRunner.Describe(Lease));
                    waited = true;
                }

                await Task.Delay(PollEvery, cancellationToken);
            }

            return new Run(runs, logger, slot, storeName, runId);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    private sealed class Run : IAsyncDisposable
    {
        private readonly ClusterStepRuns runs;
        private readonly ILogger logger;
        private readonly IDisposable slot;
        private readonly string storeName;
        private readonly string runId;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewal;

        public Run(ClusterStepRuns runs, ILogger logger, IDisposable slot, string storeName, string runId)
        {
            this.runs = runs;
            this.logger = logger;
            this.slot = slot;
            this.storeName = storeName;
            this.runId = runId;
            renewal = RenewAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewal;
            try
            {
                await runs.EndAsync(storeName, runId, CancellationToken.None);
            }
            finally
            {
                stop.Dispose();
                slot.Dispose();
            }
        }

        private async Task RenewAsync()
        {
            while (true)
            {
                try
                {
                    await Task.Delay(RenewEvery, stop.Token);
                    if (!await runs.RenewAsync(storeName, runId, Lease, stop.Token))
                    {
                        logger.LogWarning("Store {Store}: the cluster step's lease ran out before it was renewed; another run may start beside this one", storeName);
                        return;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Store {Store}: renewing the cluster step's lease failed; trying again", storeName);
                }
            }
        }
    }
}
