using System.Collections.Frozen;

namespace ApartmentManager.Domain;

/// <summary>
/// The one place that says which status may follow which. The pipeline walks
/// <code>
/// Received → Classified ⇄ AwaitingResidentInfo (a clarifying question, at most two)
///          → RiskAssessed → OptionsSimulated → Decided → (AwaitingResidentChoice | AwaitingManagerApproval)
///          → Executing → InProgress (work order / office task open) → AwaitingConfirmation → Resolved
///                                          AwaitingConfirmation → Executing (reopened: dispatched again)
///                                          AwaitingConfirmation ⇄ AwaitingManagerApproval (a ledger review's credit held for a manager)
/// </code>
/// Executing goes straight to AwaitingConfirmation when no work remains. Any live request can be escalated or
/// failed, and cancelled unless it is being carried out.
/// </summary>
public static class RequestStateMachine
{
    private static readonly FrozenDictionary<RequestStatus, FrozenSet<RequestStatus>> Allowed =
        new Dictionary<RequestStatus, FrozenSet<RequestStatus>>
        {
            [RequestStatus.Received] = Set(RequestStatus.Classified, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Classified] = Set(RequestStatus.RiskAssessed, RequestStatus.AwaitingResidentInfo,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // The resident's reply is triaged again (with both texts); no reply in time hands it to a manager.
            [RequestStatus.AwaitingResidentInfo] = Set(RequestStatus.Classified, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.RiskAssessed] = Set(RequestStatus.OptionsSimulated, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.OptionsSimulated] = Set(RequestStatus.Decided, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Decided] = Set(RequestStatus.AwaitingResidentChoice, RequestStatus.AwaitingManagerApproval, RequestStatus.Executing,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // The resident's pick may need a manager's approval before it is carried out (the option is re-checked).
            [RequestStatus.AwaitingResidentChoice] = Set(RequestStatus.Executing, RequestStatus.AwaitingManagerApproval,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // AwaitingManagerApproval also holds a ledger review's verified credit the policy will not post without a
            // manager; the manager's answer sends it on to the resident's confirmation.
            [RequestStatus.AwaitingManagerApproval] = Set(RequestStatus.Executing, RequestStatus.AwaitingConfirmation, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Executing] = Set(RequestStatus.InProgress, RequestStatus.AwaitingConfirmation, RequestStatus.Resolved,
                RequestStatus.Escalated, RequestStatus.Failed),
            // Work is open: the maintenance system (or a manager) reports it complete; an admin may also close it.
            [RequestStatus.InProgress] = Set(RequestStatus.AwaitingConfirmation, RequestStatus.Resolved,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // The resident confirms (or the window passes: resolved, unconfirmed), or reopens it: dispatched again.
            [RequestStatus.AwaitingConfirmation] = Set(RequestStatus.Resolved, RequestStatus.Executing, RequestStatus.AwaitingManagerApproval,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // A manager who takes over an escalated request has it carried out, reports the work done, resolves it by
            // hand or closes it.
            [RequestStatus.Escalated] = Set(RequestStatus.Executing, RequestStatus.AwaitingConfirmation, RequestStatus.Resolved, RequestStatus.Cancelled),
            // A failed request is handed to a person; nothing else revives it.
            [RequestStatus.Failed] = Set(RequestStatus.Escalated),
            [RequestStatus.Resolved] = Set(),
            [RequestStatus.Cancelled] = Set(),
        }.ToFrozenDictionary();

    public static bool CanTransition(RequestStatus from, RequestStatus to) => Allowed[from].Contains(to);

    public static IReadOnlySet<RequestStatus> NextStatuses(RequestStatus from) => Allowed[from];

    /// <summary>Terminal: nothing more will happen without a person reopening it elsewhere.</summary>
    public static bool IsTerminal(RequestStatus status) => status is RequestStatus.Resolved or RequestStatus.Cancelled;

    /// <summary>The workflow has stopped, or waits for a person or an outside system (or has finished).</summary>
    public static bool IsSettled(RequestStatus status) =>
        status is RequestStatus.Resolved or RequestStatus.Cancelled or RequestStatus.Escalated or RequestStatus.Failed
            or RequestStatus.AwaitingResidentChoice or RequestStatus.AwaitingManagerApproval or RequestStatus.AwaitingResidentInfo
            or RequestStatus.InProgress or RequestStatus.AwaitingConfirmation;

    public static void EnsureCanTransition(RequestStatus from, RequestStatus to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidTransitionException(from, to);
        }
    }

    private static FrozenSet<RequestStatus> Set(params RequestStatus[] statuses) => statuses.ToFrozenSet();
}
