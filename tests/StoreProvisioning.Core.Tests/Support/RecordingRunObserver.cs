using System.Collections.Concurrent;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>Keeps every operation run a repository reports, in order.</summary>
public sealed class RecordingRunObserver : IOperationRunObserver
{
    private readonly ConcurrentQueue<OperationRun> runs = new();

    public IReadOnlyList<OperationRun> All => [.. runs];

    public void Finished(OperationRun run) => runs.Enqueue(run);
}
