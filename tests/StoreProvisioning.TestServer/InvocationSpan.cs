using System.Diagnostics;
using StoreProvisioning.Functions.Hosting;

namespace StoreProvisioning.TestServer;

/// <summary>
/// The span the isolated worker starts around every function invocation: "Invoke" from the worker's ActivitySource
/// (<see cref="Telemetry.WorkerSourceName"/>), with the middleware and the function inside it. The worker parents it on
/// the trace context the Functions host sends with the invocation (the host's own request span, which continues a
/// client's W3C traceparent); the test server has no host in between, so it parents it on the request's
/// traceparent/tracestate headers directly. Started only when a listener (the app's OpenTelemetry) wants it, as there.
/// </summary>
public static class InvocationSpan
{
    private static readonly ActivitySource Worker = new(Telemetry.WorkerSourceName);

    public static Activity? Start(string functionName, HttpRequest? request = null)
    {
        var parent = default(ActivityContext);
        if (request is not null
            && request.Headers.TryGetValue("traceparent", out var traceParent)
            && ActivityContext.TryParse(traceParent.ToString(), request.Headers["tracestate"].ToString(), isRemote: true, out var remote))
        {
            parent = remote;
        }

        var span = parent == default
            ? Worker.StartActivity("Invoke", ActivityKind.Internal)
            : Worker.StartActivity("Invoke", ActivityKind.Internal, parent);
        span?.SetTag("faas.execution", Guid.NewGuid().ToString());
        span?.SetTag("faas.name", functionName);
        return span;
    }
}
