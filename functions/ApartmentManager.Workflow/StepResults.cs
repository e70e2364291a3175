using ApartmentManager.Domain;

namespace ApartmentManager.Workflow;

/// <summary>Result of a step that only advances the request.</summary>
public sealed record StepDone(RequestStatus Status, string? Detail = null);

/// <summary>What the workflow needs to know of a decision to choose its branch.</summary>
/// <param name="ResidentChoiceSla">How long the resident has to choose (policy, e.g. 48 h).</param>
/// <param name="ManagerApprovalSla">How long a manager has to approve (policy, e.g. 4 h).</param>
/// <param name="AutoSelectOnTimeout">Whether policy lets the system take the recommendation when the resident does not choose.</param>
public sealed record DecisionOutcome(
    NextStep NextStep,
    string RecommendedOptionId,
    TimeSpan ResidentChoiceSla,
    TimeSpan ManagerApprovalSla,
    bool AutoSelectOnTimeout,
    RequestStatus Status);

/// <summary>The outcome of carrying out the chosen option.</summary>
/// <param name="NeedsApproval">The re-check found the option needs a manager's approval first (why); nothing was carried out.</param>
/// <param name="Refused">The re-check found the option breaks a hard constraint; nothing was carried out (<paramref name="Error"/> says why).</param>
public sealed record ExecutionOutcome(bool Succeeded, IReadOnlyList<string> ExecutionIds, string? Error = null, string? NeedsApproval = null, bool Refused = false);

/// <summary>Whether triage asked the resident a clarifying question, and how long the reply may take.</summary>
public sealed record QuestionOutcome(bool Asked, TimeSpan ReplySla, RequestStatus Status, string? Question = null);

/// <summary>
/// What carrying out the option left open. With work remaining the request is in progress until the work is reported
/// complete; the workflow escalates past <paramref name="DueAt"/>, and pages the on-call manager when no one is on site
/// by <paramref name="OnSiteDueAt"/> (emergencies).
/// </summary>
public sealed record WorkOutcome(bool WorkRemains, DateTimeOffset? OnSiteDueAt, DateTimeOffset? DueAt, RequestStatus Status);

/// <summary>
/// What the ledger review's finding led to once the review was reported complete: a verified credit posted (of the
/// amount found wrong), nothing (no finding, the charge was right, or a manager rejected the credit), a credit held for
/// a manager's approval (<paramref name="NeedsApproval"/>: above the auto-approval limit, past the goodwill cap), or a
/// reason a manager must take it over (<paramref name="Escalate"/>: no credit option, a hard constraint, posting failed).
/// </summary>
/// <param name="NeedsApproval">Why the credit waits for a manager (its amount and the policy's reason); the request awaits approval.</param>
/// <param name="ApprovalSla">How long a manager has to answer a held credit (policy).</param>
public sealed record FindingOutcome(bool Credited, decimal? Amount, string? Escalate, RequestStatus Status,
    string? NeedsApproval = null, TimeSpan ApprovalSla = default);

/// <summary>How long the resident has to confirm (or reopen) before the request is resolved unconfirmed.</summary>
public sealed record ConfirmationOutcome(TimeSpan Window, RequestStatus Status);

/// <summary>After a reopening: which round of work comes next, or whether it goes to a manager instead.</summary>
public sealed record ReopenOutcome(int Round, bool Escalate, RequestStatus Status);
