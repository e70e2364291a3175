using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Intelligence.Llm;

/// <summary>Per-subject LLM limits (configuration section <c>Limits:Llm</c>).</summary>
public sealed class LlmBudgetOptions
{
    public const string Section = "Limits:Llm";

    /// <summary>Tokens one subject (a resident, a manager, "system") may spend on the LLM per UTC day.</summary>
    public int DailyTokensPerSubject { get; set; } = 20_000;

    /// <summary>LLM calls in flight at once in this process; more wait their turn.</summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>What one classification call is charged before its real usage is known (prompt + answer).</summary>
    public int EstimatedTokensPerCall { get; set; } = 700;
}

/// <summary>
/// Who an LLM call is made for: the API sets the caller's subject, the pipeline the request's resident. Flows with
/// the async call, so the classifier needs no extra parameter.
/// </summary>
public static class LlmCaller
{
    private static readonly AsyncLocal<string?> CurrentSubject = new();

    public static string Current => CurrentSubject.Value ?? "system";

    public static IDisposable Begin(string subject)
    {
        var previous = CurrentSubject.Value;
        CurrentSubject.Value = subject;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => CurrentSubject.Value = previous;
    }
}

/// <summary>
/// A per-subject daily token budget and a process-wide concurrency limit around LLM calls. Over budget, the caller
/// takes the non-LLM path (rules and model), never an error. In memory: the counts restart with the process, which
/// errs on the side of letting a call through. Usage metering can correct a reservation with <see cref="Charge"/>.
/// </summary>
public sealed class LlmTokenBudget(IOptions<LlmBudgetOptions> options, TimeProvider clock)
{
    private readonly LlmBudgetOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, (DateOnly Day, long Tokens)> _spent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(Math.Max(1, options.Value.MaxConcurrentCalls));

    public int EstimatedTokensPerCall => _options.EstimatedTokensPerCall;

    /// <summary>Reserves <paramref name="tokens"/> of today's budget for <paramref name="subject"/>; false (nothing reserved) when it would pass the limit.</summary>
    public bool TryReserve(string subject, int tokens)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        while (true)
        {
            var current = _spent.GetOrAdd(subject, (today, 0));
            var spent = current.Day == today ? current.Tokens : 0;
            if (spent + tokens > _options.DailyTokensPerSubject)
            {
                return false;
            }
            if (_spent.TryUpdate(subject, (today, spent + tokens), current))
            {
                return true;
            }
        }
    }

    /// <summary>Adds (or, negative, gives back) tokens to today's spend: real usage against the reservation.</summary>
    public void Charge(string subject, long tokens)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        _spent.AddOrUpdate(subject, (today, Math.Max(0, tokens)), (_, c) => (today, Math.Max(0, (c.Day == today ? c.Tokens : 0) + tokens)));
    }

    /// <summary>Today's spend of <paramref name="subject"/>.</summary>
    public long SpentToday(string subject) =>
        _spent.TryGetValue(subject, out var c) && c.Day == DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) ? c.Tokens : 0;

    /// <summary>Waits for one of the concurrent-call slots; dispose the result to free it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_gate);
    }

    private sealed class Slot(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
