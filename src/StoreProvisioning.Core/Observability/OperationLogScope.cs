using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Observability;

/// <summary>
/// The scope every log line inside an operation carries: <c>store</c>, <c>operationId</c> and <c>traceId</c>, as a
/// dictionary so the JSON console formatter (LOG_FORMAT=json) writes them as properties. Scopes flow with the async
/// call, so the CLI runner's lines for the operation carry them too.
/// </summary>
public static class OperationLogScope
{
    public const string Store = "store";
    public const string OperationId = "operationId";
    public const string TraceId = "traceId";

    public static IDisposable? Begin(ILogger logger, string store, string? operationId, string? traceId) =>
        logger.BeginScope(new Dictionary<string, object?>
        {
            [Store] = store,
            [OperationId] = operationId,
            [TraceId] = traceId,
        });
}
