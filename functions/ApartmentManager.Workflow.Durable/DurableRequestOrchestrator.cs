using Microsoft.DurableTask;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// The shared <see cref="RequestWorkflow"/> as a Durable orchestrator body: the port over the orchestration context.
/// The Functions app's orchestrator function and any Durable Task SDK worker call this, so every host runs the same
/// orchestration. It calls one activity, <see cref="StepActivity"/>, which runs any step declared in
/// <see cref="WorkflowSteps"/> (<see cref="WorkflowSteps.RunAsync"/>). Domain events come from the request's history,
/// not from the orchestration.
/// </summary>
public static class DurableRequestOrchestrator
{
    public const string Name = RequestWorkflow.Name;

    /// <summary>The one activity behind every workflow step: input a <see cref="StepCall"/>, output the step's JSON.</summary>
    public const string StepActivity = "RunWorkflowStep";

    public static Task<WorkflowResult> RunAsync(TaskOrchestrationContext context) =>
        RequestWorkflow.RunAsync(new DurableWorkflowContext(context));
}
