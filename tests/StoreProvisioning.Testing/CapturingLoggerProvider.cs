using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Testing;

/// <summary>Keeps every formatted log line (with its structured values and exception text) so tests can search them, e.g. for secrets.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger<object>(categoryName, lines);

    /// <summary>A logger for a class that takes an ILogger&lt;T&gt; directly, writing to the same lines.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(typeof(T).FullName ?? typeof(T).Name, lines);

    public void Dispose()
    {
    }

    private sealed class Logger<T>(string category, ConcurrentQueue<string> lines) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
