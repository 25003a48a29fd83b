using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Testing;

/// <summary>
/// Keeps every formatted log line (with its structured values, the properties of its scopes and exception text) so
/// tests can search them, e.g. for secrets, and read the scope each line was written in.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<LogEntry> entries = new();
    private IExternalScopeProvider? scopes;

    public IReadOnlyList<string> Lines => [.. lines];

    /// <summary>Every line with its category, message and the properties of the scopes it was written in.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger<object>(categoryName, this);

    /// <summary>A logger for a class that takes an ILogger&lt;T&gt; directly, writing to the same lines.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(typeof(T).FullName ?? typeof(T).Name, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, string structured, Exception? exception)
    {
        var scope = new Dictionary<string, object?>();
        scopes?.ForEachScope(
            (state, into) =>
            {
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        into[key] = value;
                    }
                }
            },
            scope);
        var scopeText = scope.Count == 0 ? string.Empty : " scope: " + string.Join(" ", scope.Select(p => $"{p.Key}={p.Value}"));
        lines.Enqueue($"{level} {category}: {message} {structured}{scopeText} {exception}");
        entries.Enqueue(new LogEntry(level, category, message, scope));
    }

    private sealed class Logger<T>(string category, CapturingLoggerProvider provider) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            provider.Write(logLevel, category, formatter(state, exception), structured, exception);
        }
    }
}

/// <summary>One captured log line.</summary>
public sealed record LogEntry(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Scope);
