using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;

namespace ApartmentManager.Api.Requests;

// The API's request and response shapes. Outside clients rely on these names.

/// <summary>Body of POST /api/v1/requests. The resident is the token's subject, never a body field.</summary>
public sealed record CreateRequestBody(string? Building, string? Unit, string? Message, string? Channel);

/// <summary>Body of PUT /api/v1/requests/{id}: an admin moves the request to another status.</summary>
public sealed record StatusChangeBody(string? Status, string? Note);

/// <summary>Body of POST /api/v1/requests/{id}/select-option.</summary>
public sealed record SelectOptionBody(string? OptionId);

/// <summary>Body of POST /api/v1/requests/{id}/resolve.</summary>
public sealed record ResolveBody(string? Outcome, int? Rating);

/// <summary>A request as the API shows it.</summary>
public sealed record RequestResource(
    string Id,
    string ResidentId,
    string Building,
    string Unit,
    Channel Channel,
    string Message,
    RequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Classification? Classification,
    RiskAssessment? Risk,
    IReadOnlyList<ResolutionOption> Options,
    Decision? Decision,
    string? SelectedOptionId,
    IReadOnlyList<ExecutionRecord> Executions,
    Resolution? Resolution,
    IReadOnlyList<HistoryEntry> History,
    ClarifyingQuestion? Question,
    IReadOnlyList<ClarifyingQuestion> Questions,
    IReadOnlyList<WorkProgress> Work,
    RequestOutcome Outcome,
    RequestUsage? Usage = null,
    LedgerFinding? Finding = null)
{
    /// <summary>What <paramref name="caller"/> may see of a request: everything for a manager, the resident view otherwise.</summary>
    /// <summary>What <paramref name="caller"/> may see: admins get everything and the work the request cost (<c>usage</c>).</summary>
    public static RequestResource For(Caller caller, ResidentRequest r) => caller.IsAdmin ? From(r) with { Usage = r.Usage } : ResidentView(r);

    /// <summary>What the resident reads of a ledger review's finding: the outcome, not the office's note or who recorded it.</summary>
    private static LedgerFinding? ForResident(LedgerFinding? finding) => finding is null ? null : finding with { Note = null, FoundBy = "manager" };

    /// <summary>The manager's view: everything recorded.</summary>
    public static RequestResource From(ResidentRequest r) => new(
        r.Id, r.ResidentId, r.Building, r.Unit, r.Channel, r.Message, r.Status, r.CreatedAt, r.UpdatedAt,
        r.Classification, r.Risk, r.Options, r.Decision, r.SelectedOptionId, r.Executions, r.Resolution, r.History,
        r.Question, r.Questions, r.Work, r.Outcome, Finding: r.Finding);

    /// <summary>
    /// The resident's view: their request, its options and what was done, without internal notes, manager ids, risk
    /// scores and factors, exception text or scoring internals (ranking, score breakdowns, model evidence).
    /// </summary>
    public static RequestResource ResidentView(ResidentRequest r) => new(
        r.Id, r.ResidentId, r.Building, r.Unit, r.Channel, r.Message, r.Status, r.CreatedAt, r.UpdatedAt,
        r.Classification is { } c ? c with { Confidence = 0, Evidence = [], Stage = Hidden, ModelVersion = Hidden, Prompt = null } : null,
        Risk: null,
        r.Options.Select(o => o with { Citations = [.. o.Citations.Select(x => x with { Score = 0 })], DescriptionPrompt = null }).ToList(),
        r.Decision is { } d ? d with
        {
            Ranking = [],
            Citations = [.. d.Citations.Select(x => x with { Score = 0 })],
            Reasoning = "Chosen under the building's maintenance policy.",
            PolicyVersion = Hidden,
        } : null,
        r.SelectedOptionId,
        r.Executions.Select(e => e with { Error = e.Error is null ? null : "The action could not be completed.", IdempotencyKey = Hidden }).ToList(),
        r.Resolution is { } res ? res with { ResolvedBy = Who(res.ResolvedBy, r.ResidentId) } : null,
        r.History.Select(h => h with
        {
            Actor = Who(h.Actor, r.ResidentId),
            // Details are theirs only when they wrote them: a manager's note or a failure's text stays inside.
            Detail = h.Actor == r.ResidentId || h.Event == "created" ? h.Detail : null,
            TraceParent = null, // operational: managers' view and events only
        }).ToList(),
        r.Question,
        r.Questions,
        r.Work.Select(w => w with
        {
            Updates = [.. w.Updates.Select(u => u with { Source = Who(u.Source, r.ResidentId), EventId = null })],
            Finding = ForResident(w.Finding),
        }).ToList(),
        r.Outcome,
        Finding: ForResident(r.Finding));

    private const string Hidden = "";

    private static string Who(string actor, string residentId) =>
        actor == residentId ? actor : actor == "system" ? "system" : "manager";
}

/// <summary>One page of a listing; pass <c>continuationToken</c> back to get the next.</summary>
public sealed record RequestList(IReadOnlyList<RequestResource> Items, string? ContinuationToken);
