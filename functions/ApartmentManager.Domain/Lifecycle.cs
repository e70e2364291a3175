namespace ApartmentManager.Domain;

// What happens to a request after its option is carried out, and the questions asked before triage. Their JSON
// names are a published contract.

/// <summary>The state of the open work as the maintenance system (or the office) reports it.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SnakeCaseEnumConverter<WorkState>))]
public enum WorkState
{
    Scheduled,
    Assigned,
    OnSite,
    Completed,
    CannotComplete,
}

/// <summary>One report on the work: its new state, when, from whom ("maintenance", "admin:&lt;sub&gt;", "system").</summary>
/// <param name="EventId">The maintenance system's event id (webhook), for replay protection; null for other sources.</param>
public sealed record WorkUpdate(WorkState State, DateTimeOffset At, string Source, string? EventId = null, string? Note = null);

/// <summary>
/// The work an executed option left open: a work order in the maintenance system, or an office task (ledger review,
/// mediation). Each dispatch (the first, and one per reopening) is a new round with its own due times.
/// </summary>
/// <param name="Kind">"work_order" (a technician or vendor) or "office_task".</param>
/// <param name="ExternalReference">The work order's id in the maintenance system.</param>
/// <param name="OnSiteDueAt">When someone must be on site (emergencies: the on-site SLA); null when no on-site SLA applies.</param>
/// <param name="DueAt">When the work must be complete; past it the workflow escalates to a manager.</param>
/// <param name="Round">0 for the first dispatch, n after the n-th reopening.</param>
/// <param name="ActualCost">What the work cost, as reported on completion.</param>
public sealed record WorkProgress(
    string Kind,
    string? ExternalReference,
    WorkState State,
    DateTimeOffset? OnSiteDueAt,
    DateTimeOffset DueAt,
    int Round,
    IReadOnlyList<WorkUpdate> Updates,
    decimal? ActualCost = null,
    string? Outcome = null,
    LedgerFinding? Finding = null)
{
    public bool HasEvent(string eventId) => Updates.Any(u => u.EventId == eventId);

    public WorkProgress With(WorkUpdate update, decimal? actualCost = null, string? outcome = null, LedgerFinding? finding = null) => this with
    {
        State = update.State,
        Updates = [.. Updates, update],
        ActualCost = actualCost ?? ActualCost,
        Outcome = outcome ?? Outcome,
        Finding = finding ?? Finding,
    };
}

/// <summary>
/// What the office's ledger review found, recorded when a manager reports the review complete: whether the disputed
/// charge was wrong and by how much. A finding "wrong by X" is what verifies a credit: the credit posted is X, never an
/// amount from the resident's message.
/// </summary>
/// <param name="ChargeWrong">The charge was wrong (a credit is due); false: the charge was right, nothing is credited.</param>
/// <param name="Amount">How much of the charge was wrong (0 when it was right); at most two decimals.</param>
/// <param name="Note">The office's internal note (managers only).</param>
/// <param name="FoundBy">Who recorded it ("admin:&lt;sub&gt;").</param>
public sealed record LedgerFinding(bool ChargeWrong, decimal Amount, string? Note, string FoundBy, DateTimeOffset FoundAt)
{
    /// <summary>The option kind whose completion carries a finding (<c>OptionKinds.LedgerReview</c>).</summary>
    public const string ReviewOptionKind = "ledger_review";

    /// <summary>What the review found, in words the resident may read.</summary>
    public string Summary => ChargeWrong
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the ledger review found the charge wrong by {Amount:0.00}; a credit of {Amount:0.00} is due")
        : "the ledger review found the charge correct; no credit is due";

    /// <summary>The problems with a finding's amount (empty when it is acceptable), by field name.</summary>
    /// <param name="maximum">The largest credit the policy allows (<c>Decision:Credits:MaximumCredit</c>).</param>
    public static IReadOnlyDictionary<string, string[]> Check(bool chargeWrong, decimal? amount, decimal maximum)
    {
        var errors = new Dictionary<string, string[]>();
        if (amount is < 0)
        {
            errors["finding.amount"] = ["The amount found wrong cannot be negative."];
        }
        else if (amount is { } a && decimal.Round(a, 2) != a)
        {
            errors["finding.amount"] = ["The amount found wrong has at most two decimals."];
        }
        else if (amount > maximum)
        {
            errors["finding.amount"] = [string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The amount found wrong is at most the maximum credit, {maximum:0.00}.")];
        }
        else if (chargeWrong && amount is not > 0)
        {
            errors["finding.amount"] = ["A charge found wrong needs the amount found wrong (more than 0)."];
        }
        else if (!chargeWrong && amount is > 0)
        {
            errors["finding.amount"] = ["A charge found correct has no amount found wrong (leave it out or send 0)."];
        }
        return errors;
    }
}

/// <summary>A clarifying question the workflow asked the resident, and the reply.</summary>
/// <param name="Number">1 or 2: at most two are asked per request.</param>
/// <param name="Reason">The ambiguity it resolves: "category_unclear" or "location_missing".</param>
/// <param name="Prompt">The prompt template (id and version) when an LLM phrased <paramref name="Text"/>; null for the question bank's wording.</param>
public sealed record ClarifyingQuestion(
    int Number,
    string Reason,
    string Text,
    DateTimeOffset AskedAt,
    DateTimeOffset DueAt,
    string? Reply = null,
    DateTimeOffset? RepliedAt = null,
    PromptRef? Prompt = null)
{
    public bool IsAnswered => Reply is not null;
}

/// <summary>
/// What happened to a request, for managers' reports and for learning from outcomes: when each stage was reached,
/// what it cost, how often it was reopened, how the resident rated it and whether a person had to step in. Derived
/// from the request (its history, work, resolution), so it can never disagree with them; null stage times were not
/// reached (yet).
/// </summary>
/// <param name="FiledAt">The resident filed the request.</param>
/// <param name="DecidedAt">The decision policy chose what to do.</param>
/// <param name="DispatchedAt">The chosen option was first carried out (work order opened, notices sent).</param>
/// <param name="OnSiteAt">Someone was first reported on site.</param>
/// <param name="CompletedAt">The work was last reported complete (by the maintenance system or a manager).</param>
/// <param name="ConfirmedAt">The resident confirmed it is fixed; null when resolved without their confirmation.</param>
/// <param name="ResolvedAt">The request was resolved (confirmed, auto-resolved or closed by an admin).</param>
/// <param name="ActualCost">The cost reported on completion, if any.</param>
/// <param name="ReopenCount">How often the resident said it was not fixed.</param>
/// <param name="Rating">The resident's 1–5 rating, if they confirmed.</param>
/// <param name="Escalated">Whether it was ever handed to a manager.</param>
/// <param name="Unconfirmed">Resolved because the confirmation window passed without an answer.</param>
/// <param name="QuestionsAsked">Clarifying questions asked before triage.</param>
public sealed record RequestOutcome(
    DateTimeOffset FiledAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? OnSiteAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? ResolvedAt,
    decimal? ActualCost,
    int ReopenCount,
    int? Rating,
    bool Escalated,
    bool Unconfirmed,
    int QuestionsAsked)
{
    public static RequestOutcome Of(ResidentRequest r)
    {
        var statusChanges = r.History.Where(h => h.Event == "status_changed").ToList();
        DateTimeOffset? First(RequestStatus s) => statusChanges.FirstOrDefault(h => h.To == s)?.At;
        DateTimeOffset? Last(RequestStatus s) => statusChanges.LastOrDefault(h => h.To == s)?.At;
        var resolved = r.Status == RequestStatus.Resolved ? r.Resolution : null;
        return new RequestOutcome(
            r.CreatedAt,
            r.Decision?.DecidedAt,
            First(RequestStatus.Executing),
            r.Work.SelectMany(w => w.Updates).FirstOrDefault(u => u.State == WorkState.OnSite)?.At,
            Last(RequestStatus.AwaitingConfirmation),
            resolved is { Confirmed: true } ? resolved.ResolvedAt : null,
            resolved?.ResolvedAt,
            r.Work.Any(w => w.ActualCost is not null) ? r.Work.Sum(w => w.ActualCost ?? 0m) : null,
            r.ReopenCount,
            resolved?.Rating,
            statusChanges.Any(h => h.To == RequestStatus.Escalated),
            resolved is { Confirmed: false },
            r.Questions.Count);
    }
}
