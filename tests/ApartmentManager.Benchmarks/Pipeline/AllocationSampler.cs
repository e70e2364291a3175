using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ApartmentManager.Benchmarks.Pipeline;

/// <summary>
/// Where the burst's allocations go, by type: the runtime's allocation-tick events (one about every 100 KB allocated,
/// naming the type of the object that crossed the mark), counted while <see cref="Enabled"/>. A sample, not an exact
/// account: a type's share of the ticks estimates its share of the bytes. On with BENCH_ALLOC=1.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, (long Ticks, bool Large)> _types = new();

    public volatile bool Enabled;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!Enabled || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var large = e.PayloadNames.IndexOf("AllocationKind") is var k and >= 0 && Convert.ToInt32(e.Payload[k], System.Globalization.CultureInfo.InvariantCulture) == 1;
        _types.AddOrUpdate(type, (1, large), (_, v) => (v.Ticks + 1, v.Large || large));
    }

    /// <summary>The types with the most ticks, with their share of all ticks.</summary>
    public IEnumerable<string> Top(int count)
    {
        var total = Math.Max(1, _types.Values.Sum(v => v.Ticks));
        return _types.OrderByDescending(p => p.Value.Ticks).Take(count)
            .Select(p => FormattableString.Invariant($"{100.0 * p.Value.Ticks / total,5:0.0}% {p.Key}{(p.Value.Large ? " (large object heap)" : "")}"));
    }
}
