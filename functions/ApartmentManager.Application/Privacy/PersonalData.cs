using ApartmentManager.Application.Events;
using ApartmentManager.Domain;

namespace ApartmentManager.Application.Privacy;

/// <summary>
/// What erasure keeps and what it replaces, in one place for every store. Kept: what learning and reporting need and
/// that says nothing about the person (building, category, urgency, risk, options, decision, timings, the rating,
/// what the system did). Replaced: the resident id (by a pseudonym), the unit, the message, the idempotency key,
/// the classifier's evidence (quoted words), every free text a person wrote (notes, reasons, outcomes).
/// </summary>
public static class PersonalData
{
    public const string Erased = "[erased]";
    public const string SystemActor = "system";

    public static string NewPseudonym() => "erased-" + Guid.NewGuid().ToString("N")[..16];

    public static ResidentRequest Erase(ResidentRequest r, string pseudonym) => r with
    {
        ResidentId = pseudonym,
        Unit = Erased,
        Message = Erased,
        IdempotencyKey = null,
        ContentHash = null,
        Classification = r.Classification is { } c ? c with { Evidence = [] } : null,
        Resolution = r.Resolution is { } res ? res with { Outcome = Erased, ResolvedBy = Actor(res.ResolvedBy, r.ResidentId, pseudonym) } : null,
        History = [.. r.History.Select(h => h with { Actor = Actor(h.Actor, r.ResidentId, pseudonym), Detail = Detail(h.Actor, h.Detail) })],
    };

    public static DomainEvent Erase(DomainEvent e, string residentId, string pseudonym) => e with
    {
        ResidentId = pseudonym,
        Unit = Erased,
        Actor = Actor(e.Actor, residentId, pseudonym),
        Detail = Detail(e.Actor, e.Detail),
    };

    private static string Actor(string actor, string residentId, string pseudonym) =>
        string.Equals(actor, residentId, StringComparison.Ordinal) ? pseudonym : actor;

    /// <summary>Details the system wrote are generated (statuses, option ids); anything a person wrote goes.</summary>
    private static string? Detail(string actor, string? detail) =>
        detail is null || string.Equals(actor, SystemActor, StringComparison.Ordinal) ? detail : Erased;
}

/// <summary>Which resident to erase, the pseudonym that replaces them, and their requests' ids (read before erasing).</summary>
public sealed record ErasureScope(string ResidentId, string Pseudonym, IReadOnlyList<string> RequestIds);

/// <summary>
/// A store that holds personal data about residents. Privacy erasure calls every registered holder (the request
/// store's holder last, because it is the one that makes the resident unfindable); each must be idempotent.
/// </summary>
public interface IPersonalDataHolder
{
    /// <summary>Erases what this holder keeps; the number of records changed (0 when nothing was left).</summary>
    Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default);

    /// <summary>Runs after every other holder (the one that erases the requests themselves).</summary>
    bool RunsLast => false;

    string Name { get; }
}
