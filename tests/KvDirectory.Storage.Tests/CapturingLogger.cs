using Microsoft.Extensions.Logging;

namespace KvDirectory.Storage.Tests;

/// <summary>Keeps every formatted log line so tests can assert what an operator would see.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<(LogLevel Level, EventId EventId, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Lines
    {
        get
        {
            lock (_lines) return _lines.ToArray();
        }
    }

    public IEnumerable<string> MessagesWithEvent(int eventId) => Lines.Where(l => l.EventId.Id == eventId).Select(l => l.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add((logLevel, eventId, formatter(state, exception)));
    }
}
