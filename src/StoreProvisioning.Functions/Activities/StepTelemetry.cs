using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Observability;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Activities;

/// <summary>
/// The span and log scope of one activity (<see cref="StoreActivity{TInput}.ExecuteAsync"/>, and the activities that
/// return something other than a step outcome): the span is named after the activity and is a child of the operation's
/// launch span (<see cref="StoreOperationInput.TraceParent"/>), so an operation is one trace however many workers or
/// replays run it. Status error when the step failed or threw; attributes hold names and ids only, never free text.
/// </summary>
public sealed class StepTelemetry(ILogger<StepTelemetry> logger)
{
    public const string StoreAttribute = "store.name";
    public const string OperationAttribute = "store.operation";
    public const string OperationIdAttribute = "store.operation_id";
    public const string ResultAttribute = "store.step.result";

    public async Task<TResult> RunAsync<TResult>(string activity, StoreOperationInput? operation, Func<Task<TResult>> step)
    {
        using var span = Tracing.StartSpan(activity, operation?.TraceParent);
        if (operation is not null)
        {
            span.SetTag(StoreAttribute, operation.StoreName);
            span.SetTag(OperationAttribute, operation.Runs.Name());
            span.SetTag(OperationIdAttribute, operation.OperationId);
        }

        using var scope = operation is null ? null : OperationLogScope.Begin(logger, operation.StoreName, operation.OperationId, span.TraceId.ToHexString());
        try
        {
            var result = await step();
            if (result is StepOutcome outcome)
            {
                span.SetTag(ResultAttribute, outcome.Result.ToString());
                if (outcome.Result is StepResult.Failed or StepResult.TimedOut or StepResult.Crashed)
                {
                    Tracing.Fail(span, outcome.Result.ToString());
                }
            }

            return result;
        }
        catch (Exception ex)
        {
            Tracing.Fail(span, ex.GetType().Name);
            throw;
        }
    }
}
