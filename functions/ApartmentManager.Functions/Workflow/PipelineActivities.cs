using ApartmentManager.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// One activity per workflow step, named as the step. Each only hands its input to the pipeline; the pipeline's steps
/// are idempotent per request, which is what makes Durable's at-least-once activity delivery safe.
/// </summary>
public sealed class PipelineActivities(IPipelineSteps steps)
{
    [Function(Steps.Classify)]
    public Task<StepDone> Classify([ActivityTrigger] StepInput input, CancellationToken ct) => steps.ClassifyAsync(input, ct);

    [Function(Steps.PredictRisk)]
    public Task<StepDone> PredictRisk([ActivityTrigger] StepInput input, CancellationToken ct) => steps.PredictRiskAsync(input, ct);

    [Function(Steps.Simulate)]
    public Task<StepDone> Simulate([ActivityTrigger] StepInput input, CancellationToken ct) => steps.SimulateAsync(input, ct);

    [Function(Steps.Decide)]
    public Task<DecisionOutcome> Decide([ActivityTrigger] StepInput input, CancellationToken ct) => steps.DecideAsync(input, ct);

    [Function(Steps.AwaitResident)]
    public Task<StepDone> AwaitResident([ActivityTrigger] StepInput input, CancellationToken ct) => steps.AwaitResidentAsync(input, ct);

    [Function(Steps.AwaitManager)]
    public Task<StepDone> AwaitManager([ActivityTrigger] StepInput input, CancellationToken ct) => steps.AwaitManagerAsync(input, ct);

    [Function(Steps.SelectOption)]
    public Task<StepDone> SelectOption([ActivityTrigger] StepInput input, CancellationToken ct) => steps.SelectOptionAsync(input, ct);

    [Function(Steps.Execute)]
    public Task<ExecutionOutcome> Execute([ActivityTrigger] StepInput input, CancellationToken ct) => steps.ExecuteAsync(input, ct);

    [Function(Steps.Compensate)]
    public Task<StepDone> Compensate([ActivityTrigger] StepInput input, CancellationToken ct) => steps.CompensateAsync(input, ct);

    [Function(Steps.Notify)]
    public Task<StepDone> Notify([ActivityTrigger] StepInput input, CancellationToken ct) => steps.NotifyAsync(input, ct);

    [Function(Steps.Resolve)]
    public Task<StepDone> Resolve([ActivityTrigger] StepInput input, CancellationToken ct) => steps.ResolveAsync(input, ct);

    [Function(Steps.Escalate)]
    public Task<StepDone> Escalate([ActivityTrigger] StepInput input, CancellationToken ct) => steps.EscalateAsync(input, ct);
}
