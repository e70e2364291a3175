using ApartmentManager.Domain;

namespace ApartmentManager.Workflow;

/// <summary>Step names: Durable activity names in Azure, checkpoint keys in the embedded runner.</summary>
public static class Steps
{
    public const string Classify = "Classify";
    public const string PredictRisk = "PredictRisk";
    public const string Simulate = "Simulate";
    public const string Decide = "Decide";
    public const string AwaitResident = "AwaitResident";
    public const string AwaitManager = "AwaitManager";
    public const string SelectOption = "SelectOption";
    public const string Execute = "Execute";
    public const string Compensate = "Compensate";
    public const string Notify = "Notify";
    public const string Resolve = "Resolve";
    public const string Escalate = "Escalate";

    public static readonly IReadOnlyList<string> All =
        [Classify, PredictRisk, Simulate, Decide, AwaitResident, AwaitManager, SelectOption, Execute, Compensate, Notify, Resolve, Escalate];
}

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

/// <summary>
/// The steps themselves. Each is idempotent on its request: it reads the request, does nothing if the request is
/// already past that step, and otherwise does the work and saves. At-least-once delivery of a step is therefore safe.
/// </summary>
public interface IPipelineSteps
{
    Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct);
    Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct);
    Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct);
    Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct);
    Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct);
    Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct);
    Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct);
    Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct);
    Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct);
    Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct);
    Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct);
    Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct);
}
