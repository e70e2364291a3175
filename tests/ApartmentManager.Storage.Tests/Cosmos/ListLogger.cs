using Microsoft.Extensions.Logging;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>Keeps every log entry with its structured fields, to check what the adapter logs.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<Entry> _entries = [];

    public sealed record Entry(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields);

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : [];
        lock (_entries)
        {
            _entries.Add(new Entry(logLevel, eventId, formatter(state, exception), fields));
        }
    }
}
