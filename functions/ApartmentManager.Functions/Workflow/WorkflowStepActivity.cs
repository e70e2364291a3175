using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// The one activity behind every workflow step: it runs the step its <see cref="StepCall"/> names, as declared in
/// <see cref="WorkflowSteps"/>, and returns the step's result as JSON (the same JSON the embedded runner records). A new
/// step therefore needs no new function here. The pipeline's steps are idempotent per request, which is what makes
/// Durable's at-least-once activity delivery safe.
/// </summary>
public sealed class WorkflowStepActivity(IPipelineSteps steps)
{
    public const string Name = DurableRequestOrchestrator.StepActivity;

    [Function(Name)]
    public Task<string> Run([ActivityTrigger] StepCall call, CancellationToken ct) => WorkflowSteps.RunAsync(steps, call, ct);
}
