using System.Diagnostics;

namespace StoreProvisioning.Observability;

/// <summary>
/// The app's one <see cref="ActivitySource"/> ("StoreProvisioning") and how an operation's spans hang together: the
/// launch span (child of the HTTP request's span) is carried to the orchestration as a W3C traceparent, every activity's
/// span is a child of it, every CLI call's span a child of its activity's. OpenTelemetry records them when it is
/// configured (Hosting/ServiceRegistration); without a listener no span is recorded, but the trace id still flows (an
/// unrecorded <see cref="Activity"/> carries it), so audit rows and log scopes name the operation's trace either way.
/// </summary>
public static class Tracing
{
    public const string SourceName = "StoreProvisioning";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a span as a child of <paramref name="traceParent"/> (a W3C traceparent), or of the current span when
    /// there is none. With no listener, an unrecorded activity with the same parent (or a new trace) is started instead,
    /// so <see cref="Activity.Current"/> carries the operation's trace id either way.
    /// </summary>
    public static Activity StartSpan(string name, string? traceParent = null, ActivityKind kind = ActivityKind.Internal)
    {
        var parent = ParseTraceParent(traceParent);
        var span = parent is { } remote
            ? Source.StartActivity(name, kind, remote)
            : Source.StartActivity(name, kind);
        if (span is not null)
        {
            return span;
        }

        var unrecorded = new Activity(name).SetIdFormat(ActivityIdFormat.W3C);
        if (parent is { } context)
        {
            unrecorded.SetParentId(context.TraceId, context.SpanId, context.TraceFlags);
        }

        return unrecorded.Start();
    }

    /// <summary>The W3C traceparent of <paramref name="span"/>: what an operation carries to its orchestration.</summary>
    public static string TraceParentOf(Activity span) =>
        $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-{(span.Recorded ? "01" : "00")}";

    /// <summary>The trace id (32 hex digits) of a W3C traceparent, or null when it is missing or malformed.</summary>
    public static string? TraceIdOf(string? traceParent) => ParseTraceParent(traceParent)?.TraceId.ToHexString();

    /// <summary>The trace id of the current span, when it is a W3C one.</summary>
    public static string? CurrentTraceId() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current && current.TraceId != default ? current.TraceId.ToHexString() : null;

    /// <summary>Marks a span failed with a short description (never a secret: callers pass redacted text).</summary>
    public static void Fail(Activity? span, string description)
    {
        span?.SetStatus(ActivityStatusCode.Error, description);
    }

    private static ActivityContext? ParseTraceParent(string? traceParent) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) && context.TraceId != default
            ? context
            : null;
}
