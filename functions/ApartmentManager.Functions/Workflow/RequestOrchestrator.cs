using ApartmentManager.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// The Durable orchestrator: the shared, deterministic <see cref="RequestWorkflow"/> run on Durable Functions. The
/// instance id is the request id (see <see cref="DurableWorkflowGateway"/>).
/// </summary>
public static class RequestOrchestrator
{
    [Function(RequestWorkflow.Name)]
    public static Task<WorkflowResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RequestWorkflow.RunAsync(new EventPublishingWorkflowContext(new DurableWorkflowContext(context), context));
}
