using System.Collections.Concurrent;

namespace ApartmentManager.Observability.Usage;

/// <summary>
/// LLM tokens spent per subject (resident or user) per UTC day: what a per-subject token budget reads. Every LLM call
/// made through the router adds to it, cache hits add nothing.
/// </summary>
public interface ILlmTokenLedger
{
    void Record(string subject, long tokens);

    /// <summary>Tokens <paramref name="subject"/> spent on <paramref name="day"/> (UTC).</summary>
    long Used(string subject, DateOnly day);
}

/// <summary>Process-local ledger (single node; in Azure each instance counts its own share). Keeps today and yesterday.</summary>
public sealed class InMemoryLlmTokenLedger(TimeProvider clock) : ILlmTokenLedger
{
    private readonly ConcurrentDictionary<(string Subject, DateOnly Day), long> _used = new();

    public void Record(string subject, long tokens)
    {
        if (tokens <= 0)
        {
            return;
        }
        var today = Today();
        _used.AddOrUpdate((subject, today), tokens, (_, before) => before + tokens);
        foreach (var key in _used.Keys)
        {
            if (key.Day < today.AddDays(-1))
            {
                _used.TryRemove(key, out _);
            }
        }
    }

    public long Used(string subject, DateOnly day) => _used.GetValueOrDefault((subject, day));

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
