using ApartmentManager.Domain;

namespace ApartmentManager.Application.Events;

/// <summary>
/// Derives domain events from a request's history. Generic on purpose: every status change becomes
/// <c>request.{new_status}</c> and every other history entry <c>request.{entry}</c>, so a status or history entry
/// added later produces its event without code here. Stores call <see cref="Since"/> inside the write that appends
/// the history entries (the outbox), so an event exists exactly when its state change was committed.
/// </summary>
public static class RequestEvents
{
    public const string Prefix = "request.";

    /// <summary>History entry names published under a clearer event name.</summary>
    private static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["execution_succeeded"] = "executed",
        ["execution_failed"] = "execution_failed",
        ["execution_compensated"] = "compensated",
        ["execution_pending"] = "execution_pending",
    };

    public static string IdOf(string requestId, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{requestId}.{sequence}");

    public static string TypeOf(HistoryEntry entry) => Prefix + entry switch
    {
        { Event: "status_changed", To: { } to } => Names.Of(to),
        _ => Aliases.TryGetValue(entry.Event, out var alias) ? alias : entry.Event,
    };

    /// <summary>The events of history entries <paramref name="fromSequence"/> onwards (0 = all).</summary>
    public static IReadOnlyList<DomainEvent> Since(ResidentRequest request, int fromSequence)
    {
        var events = new List<DomainEvent>(Math.Max(0, request.History.Count - fromSequence));
        for (var i = Math.Max(0, fromSequence); i < request.History.Count; i++)
        {
            var entry = request.History[i];
            events.Add(new DomainEvent(IdOf(request.Id, i), TypeOf(entry), request.Id, request.ResidentId, i, entry.At, entry.Actor,
                entry.To, entry.From, entry.Detail, request.Building, request.Unit, entry.TraceParent));
        }
        return events;
    }

    /// <summary>True when <paramref name="type"/> matches one of <paramref name="patterns"/>: exact, <c>request.*</c> or <c>*</c>.</summary>
    public static bool Matches(IReadOnlyList<string> patterns, string type)
    {
        foreach (var pattern in patterns)
        {
            if (pattern == "*" || string.Equals(pattern, type, StringComparison.Ordinal)
                || (pattern.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(pattern[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}
