using Microsoft.DurableTask;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Observability;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// Base of every activity: one step of an operation on one store. The durable engine and the Functions trigger both
/// call <see cref="ExecuteAsync"/> (the trigger with the host's cancellation token), which runs
/// <see cref="RunAsync(TInput, CancellationToken)"/> inside the step's span (named after the activity, a child of the
/// operation's launch span carried in <see cref="StoreOperationInput.TraceParent"/>) and the log scope store /
/// operationId / traceId (<see cref="OperationLogScope"/>), which the CLI runner's lines inherit.
/// </summary>
public abstract class StoreActivity<TInput>(StepTelemetry telemetry) : TaskActivity<TInput, StepOutcome>
{
    public sealed override Task<StepOutcome> RunAsync(TaskActivityContext context, TInput input) => ExecuteAsync(input, CancellationToken.None);

    public abstract Task<StepOutcome> RunAsync(TInput input, CancellationToken cancellationToken);

    /// <summary>The step as the hosts run it: traced, and logged in the operation's scope.</summary>
    public Task<StepOutcome> ExecuteAsync(TInput input, CancellationToken cancellationToken) =>
        telemetry.RunAsync(GetType().Name, OperationOf(input), () => RunAsync(input, cancellationToken));

    /// <summary>The operation a step's input belongs to.</summary>
    private static StoreOperationInput? OperationOf(TInput input) => input switch
    {
        StoreOperationInput operation => operation,
        FailureReport report => report.Operation,
        AuditNote note => note.Operation,
        RemovalRequest removal => removal.Operation,
        SlotRequest slot => slot.Operation,
        _ => null,
    };
}
