namespace ApartmentManager.Workflow.Tests;

/// <summary>
/// Steps that pass every call to <paramref name="inner"/>: a test overrides only the steps it instruments (blocks,
/// fails or records), instead of forwarding all of <see cref="IPipelineSteps"/> by hand.
/// </summary>
internal abstract class DelegatingSteps(IPipelineSteps inner) : IPipelineSteps
{
    public virtual Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct) => inner.ClassifyAsync(input, ct);
    public virtual Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct) => inner.PredictRiskAsync(input, ct);
    public virtual Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct) => inner.SimulateAsync(input, ct);
    public virtual Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct) => inner.DecideAsync(input, ct);
    public virtual Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct) => inner.AwaitResidentAsync(input, ct);
    public virtual Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct) => inner.AwaitManagerAsync(input, ct);
    public virtual Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct) => inner.SelectOptionAsync(input, ct);
    public virtual Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct) => inner.ExecuteAsync(input, ct);
    public virtual Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct) => inner.CompensateAsync(input, ct);
    public virtual Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct) => inner.NotifyAsync(input, ct);
    public virtual Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct) => inner.ResolveAsync(input, ct);
    public virtual Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct) => inner.EscalateAsync(input, ct);
    public virtual Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct) => inner.AskQuestionAsync(input, ct);
    public virtual Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct) => inner.TrackWorkAsync(input, ct);
    public virtual Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct) => inner.PageOnCallAsync(input, ct);
    public virtual Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct) => inner.SettleFindingAsync(input, ct);
    public virtual Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct) => inner.AwaitConfirmationAsync(input, ct);
    public virtual Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct) => inner.ReopenAsync(input, ct);
}
