using System.Collections.Frozen;

namespace ApartmentManager.Domain;

/// <summary>
/// The one place that says which status may follow which. The pipeline walks the happy path
/// Received → Classified → RiskAssessed → OptionsSimulated → Decided → (AwaitingResidentChoice |
/// AwaitingManagerApproval) → Executing → Resolved; any live request can be escalated, cancelled or failed.
/// </summary>
public static class RequestStateMachine
{
    private static readonly FrozenDictionary<RequestStatus, FrozenSet<RequestStatus>> Allowed =
        new Dictionary<RequestStatus, FrozenSet<RequestStatus>>
        {
            [RequestStatus.Received] = Set(RequestStatus.Classified, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Classified] = Set(RequestStatus.RiskAssessed, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.RiskAssessed] = Set(RequestStatus.OptionsSimulated, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.OptionsSimulated] = Set(RequestStatus.Decided, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Decided] = Set(RequestStatus.AwaitingResidentChoice, RequestStatus.AwaitingManagerApproval, RequestStatus.Executing,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            // The resident's pick may need a manager's approval before it is carried out (the option is re-checked).
            [RequestStatus.AwaitingResidentChoice] = Set(RequestStatus.Executing, RequestStatus.AwaitingManagerApproval,
                RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.AwaitingManagerApproval] = Set(RequestStatus.Executing, RequestStatus.Escalated, RequestStatus.Cancelled, RequestStatus.Failed),
            [RequestStatus.Executing] = Set(RequestStatus.Resolved, RequestStatus.Escalated, RequestStatus.Failed),
            // A manager who takes over an escalated request either has it carried out, resolves it by hand or closes it.
            [RequestStatus.Escalated] = Set(RequestStatus.Executing, RequestStatus.Resolved, RequestStatus.Cancelled),
            // A failed request is handed to a person; nothing else revives it.
            [RequestStatus.Failed] = Set(RequestStatus.Escalated),
            [RequestStatus.Resolved] = Set(),
            [RequestStatus.Cancelled] = Set(),
        }.ToFrozenDictionary();

    public static bool CanTransition(RequestStatus from, RequestStatus to) => Allowed[from].Contains(to);

    public static IReadOnlySet<RequestStatus> NextStatuses(RequestStatus from) => Allowed[from];

    /// <summary>Terminal: nothing more will happen without a person reopening it elsewhere.</summary>
    public static bool IsTerminal(RequestStatus status) => status is RequestStatus.Resolved or RequestStatus.Cancelled;

    /// <summary>The workflow has stopped and waits for a person (or has finished).</summary>
    public static bool IsSettled(RequestStatus status) =>
        status is RequestStatus.Resolved or RequestStatus.Cancelled or RequestStatus.Escalated or RequestStatus.Failed
            or RequestStatus.AwaitingResidentChoice or RequestStatus.AwaitingManagerApproval;

    public static void EnsureCanTransition(RequestStatus from, RequestStatus to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidTransitionException(from, to);
        }
    }

    private static FrozenSet<RequestStatus> Set(params RequestStatus[] statuses) => statuses.ToFrozenSet();
}
