namespace ApartmentManager.Domain;

// After execution (open work, completion, the resident's confirmation or reopening) and before triage (clarifying
// questions). Every change appends to the history, as everywhere else on the request.
public sealed partial record ResidentRequest
{
    public const string ReopenedEvent = "reopened";
    public const string QuestionAskedEvent = "question_asked";
    public const string ResidentRepliedEvent = "resident_replied";
    public const string LedgerFindingEvent = "ledger_finding";
    public const string FindingCreditHeldEvent = "finding_credit_needs_approval";
    public const string FindingCreditRejectedEvent = "finding_credit_rejected";

    /// <summary>The option kind of a billing credit (<c>OptionKinds.BillingCredit</c>): the option a verified credit is posted as.</summary>
    public const string CreditOptionKind = "billing_credit";

    /// <summary>The work each dispatch left open: one entry per round (the first dispatch, then one per reopening).</summary>
    public IReadOnlyList<WorkProgress> Work { get; init; } = [];

    /// <summary>Clarifying questions asked before triage (at most two), with the resident's replies.</summary>
    public IReadOnlyList<ClarifyingQuestion> Questions { get; init; } = [];

    /// <summary>The question waiting for the resident's reply, if any.</summary>
    public ClarifyingQuestion? Question => Questions.Count > 0 && !Questions[^1].IsAnswered ? Questions[^1] : null;

    /// <summary>The latest round of work, if any.</summary>
    public WorkProgress? CurrentWork => Work.Count > 0 ? Work[^1] : null;

    /// <summary>What the ledger review of the current round found, once a manager reported it complete; null otherwise.</summary>
    public LedgerFinding? Finding => CurrentWork?.Finding;

    /// <summary>
    /// The credit option whose posting the policy held for a manager after the ledger review found the charge wrong
    /// (the request waits for the manager's approval); null otherwise.
    /// </summary>
    public ResolutionOption? HeldFindingCredit =>
        Status == RequestStatus.AwaitingManagerApproval && Finding is { ChargeWrong: true }
            && History.LastOrDefault(h => h.Event == "status_changed")?.From == RequestStatus.AwaitingConfirmation
            ? Options.FirstOrDefault(o => o.Kind == CreditOptionKind)
            : null;

    /// <summary>
    /// The policy holds the verified credit of the ledger review's finding for a manager: the request waits for the
    /// manager's approval (from awaiting confirmation, where the review's completion left it), with the reason.
    /// </summary>
    public ResidentRequest HoldFindingCredit(string reason, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingConfirmation || Finding is not { ChargeWrong: true })
        {
            throw new DomainException($"Only a ledger review that found the charge wrong can hold its credit for a manager; the request is '{Names.Of(Status)}'.");
        }
        return Record(FindingCreditHeldEvent, "system", now, reason)
            .TransitionTo(RequestStatus.AwaitingManagerApproval, "system", now, reason);
    }

    /// <summary>
    /// The manager answered the held credit: posted (<paramref name="rejectedBecause"/> null) or rejected; either way the
    /// request goes on to wait for the resident's confirmation.
    /// </summary>
    public ResidentRequest ReleaseFindingCredit(string? rejectedBecause, DateTimeOffset now)
    {
        if (HeldFindingCredit is not { } credit)
        {
            throw new DomainException($"No credit is held for a manager; the request is '{Names.Of(Status)}'.");
        }
        var released = rejectedBecause is null ? this : Record(FindingCreditRejectedEvent, "system", now, rejectedBecause);
        return released.TransitionTo(RequestStatus.AwaitingConfirmation, "system", now,
            rejectedBecause is null ? $"{credit.Id} approved by a manager and posted" : $"{credit.Id} rejected by a manager; nothing posted");
    }

    /// <summary>Whether a manager rejected the credit the current round's ledger review found due.</summary>
    public bool IsFindingCreditRejected => Finding is { ChargeWrong: true } finding
        && History.Any(h => h.Event == FindingCreditRejectedEvent && h.At >= finding.FoundAt);

    /// <summary>Whether the option carried out is the office's ledger review (its completion carries a <see cref="LedgerFinding"/>).</summary>
    public bool IsLedgerReview => Options.FirstOrDefault(o => o.Id == SelectedOptionId)?.Kind == LedgerFinding.ReviewOptionKind;

    /// <summary>How often the resident reported the work not fixed.</summary>
    public int ReopenCount => History.Count(h => h.Event == ReopenedEvent);

    /// <summary>What happened to the request, stage by stage (derived from the rest; see <see cref="RequestOutcome"/>).</summary>
    public RequestOutcome Outcome => RequestOutcome.Of(this);

    /// <summary>The text triage reads: the message, then each reply to a clarifying question.</summary>
    public string TriageText => string.Join("\n", new[] { Message }.Concat(Questions.Where(q => q.IsAnswered).Select(q => q.Reply!)));

    /// <summary>The workflow asks the resident a clarifying question; only right after classification.</summary>
    public ResidentRequest Ask(ClarifyingQuestion question, DateTimeOffset now) =>
        (this with { Questions = [.. Questions, question] })
            .TransitionTo(RequestStatus.AwaitingResidentInfo, "system", now, question.Text)
            .Record(QuestionAskedEvent, "system", now, $"{question.Reason}: {question.Text}");

    /// <summary>The resident answers the open question. Once: a second reply to the same question is refused.</summary>
    public ResidentRequest Reply(string message, string actor, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingResidentInfo || Question is not { } open)
        {
            throw new DomainException($"There is no question waiting for a reply; the request is '{Names.Of(Status)}'.");
        }
        return (this with { Questions = [.. Questions.SkipLast(1), open with { Reply = message, RepliedAt = now }] })
            .Record(ResidentRepliedEvent, actor, now, message);
    }

    /// <summary>The option's actions ran and left work open: the request is in progress until it is reported complete.</summary>
    public ResidentRequest StartWork(WorkProgress work, DateTimeOffset now) =>
        (this with { Work = [.. Work, work] })
            .TransitionTo(RequestStatus.InProgress, "system", now,
                $"{work.Kind} {work.ExternalReference} due {work.DueAt:u}" + (work.OnSiteDueAt is { } onSite ? $", on site by {onSite:u}" : ""));

    /// <summary>
    /// A report on the open work (from the maintenance system's webhook or a manager). "completed" moves the request to
    /// <see cref="RequestStatus.AwaitingConfirmation"/>; the other states are recorded on the work. A ledger review's
    /// completion carries its <paramref name="finding"/> (recorded on the work and in the history).
    /// </summary>
    public ResidentRequest ReportWork(WorkUpdate update, decimal? actualCost, string? outcome, DateTimeOffset now, LedgerFinding? finding = null)
    {
        var work = CurrentWork;
        if (finding is not null && (update.State != WorkState.Completed || !IsLedgerReview))
        {
            throw new DomainException("A finding is recorded only when the office's ledger review is reported complete.");
        }
        if (work is null && update.State != WorkState.Completed)
        {
            throw new DomainException("This request has no open work to report on.");
        }
        var allowed = Status is RequestStatus.InProgress or RequestStatus.Escalated
            || (Status is RequestStatus.Executing && update.State != WorkState.Completed);
        if (!allowed)
        {
            throw new DomainException($"Work can be reported only while the request is in progress (or escalated); it is '{Names.Of(Status)}'.");
        }
        var detail = update.Note is null ? Names.Of(update.State) : $"{Names.Of(update.State)}: {update.Note}";
        var changed = this with
        {
            Work = work is null
                ? [new WorkProgress("manual", null, update.State, null, update.At, ReopenCount, [update], actualCost, outcome, finding)]
                : [.. Work.SkipLast(1), work.With(update, actualCost, outcome, finding)],
            UpdatedAt = now,
            History = [.. History, new HistoryEntry(now, "work_" + Names.Of(update.State), update.Source, Detail: detail, TraceParent: TraceContext.Current)],
        };
        if (finding is not null)
        {
            changed = changed.Record(LedgerFindingEvent, update.Source, now,
                finding.Note is null ? finding.Summary : $"{finding.Summary}: {finding.Note}");
        }
        return update.State == WorkState.Completed
            ? changed.TransitionTo(RequestStatus.AwaitingConfirmation, update.Source, now, outcome ?? "the work is reported complete")
            : changed;
    }

    /// <summary>Nothing was left open (a notice, a credit): the resident is asked to confirm straight away.</summary>
    public ResidentRequest AwaitConfirmation(DateTimeOffset now) =>
        TransitionTo(RequestStatus.AwaitingConfirmation, "system", now, "carried out; waiting for the resident to confirm");

    /// <summary>The resident says it is not fixed: it is carried out again (the workflow raises the urgency).</summary>
    public ResidentRequest Reopen(string reason, string actor, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingConfirmation)
        {
            throw new DomainException($"Only a request waiting for your confirmation can be reopened; it is '{Names.Of(Status)}'.");
        }
        return Record(ReopenedEvent, actor, now, reason)
            .TransitionTo(RequestStatus.Executing, actor, now, $"reopened ({ReopenCount + 1}): {reason}");
    }

    /// <summary>The resident confirms the fix, with a rating.</summary>
    public ResidentRequest Confirm(string outcome, int rating, string actor, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingConfirmation)
        {
            throw new DomainException($"A resident can confirm a request only once the work is reported done; it is '{Names.Of(Status)}'.");
        }
        var resolved = Resolve(outcome, rating, actor, now);
        return resolved with { Resolution = resolved.Resolution! with { Confirmed = true } };
    }

    /// <summary>The confirmation window passed without an answer: resolved, marked unconfirmed.</summary>
    public ResidentRequest ResolveUnconfirmed(TimeSpan window, DateTimeOffset now)
    {
        var resolved = Resolve($"no answer from the resident within {window.TotalHours:0.#} h; resolved unconfirmed", rating: null, "system", now);
        return resolved with { Resolution = resolved.Resolution! with { Confirmed = false } };
    }
}
