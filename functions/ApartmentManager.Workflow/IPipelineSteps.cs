namespace ApartmentManager.Workflow;

/// <summary>
/// What the steps do. Each is idempotent on its request: it reads the request, does nothing if the request is already
/// past that step, and otherwise does the work and saves. At-least-once delivery of a step is therefore safe.
/// A step is declared once in <see cref="WorkflowSteps"/> (name, result, retry policy); this interface
/// holds its implementation.
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
    Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct);
    Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct);
    Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct);
    Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct);
    Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct);
    Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct);
}
