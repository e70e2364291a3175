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
