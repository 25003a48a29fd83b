using Microsoft.DurableTask;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Base of every activity: one step of an operation on one store. The durable engine calls
/// <see cref="RunAsync(TaskActivityContext, TInput)"/>; the Functions trigger calls
/// <see cref="RunAsync(TInput, CancellationToken)"/> with the host's cancellation token. Both run the same code.
/// </summary>
public abstract class StoreActivity<TInput> : TaskActivity<TInput, StepOutcome>
{
    public sealed override Task<StepOutcome> RunAsync(TaskActivityContext context, TInput input) => RunAsync(input, CancellationToken.None);

    public abstract Task<StepOutcome> RunAsync(TInput input, CancellationToken cancellationToken);
}
