using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Guichet.Tests.Privacy;

/// <summary>
/// Keeps every log entry the host writes (message, state values, exception) for the leak scan,
/// and the category and event of each warning or worse.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>"category event-id" of each entry at <see cref="LogLevel.Warning"/> or above.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries, _warnings);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> entries, ConcurrentQueue<string> warnings) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            entries.Enqueue($"{category} {eventId.Id} {formatter(state, exception)} {values} {exception}");
            if (logLevel >= LogLevel.Warning)
            {
                warnings.Enqueue($"{category} {eventId.Id}");
            }
        }
    }
}
