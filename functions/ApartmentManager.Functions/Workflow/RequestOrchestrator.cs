using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// The Durable orchestrator function: the shared, deterministic <see cref="RequestWorkflow"/> through
/// <see cref="DurableRequestOrchestrator"/>. The instance id is the request id (see <see cref="DurableWorkflowGateway"/>).
/// </summary>
public static class RequestOrchestrator
{
    [Function(RequestWorkflow.Name)]
    public static Task<WorkflowResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DurableRequestOrchestrator.RunAsync(context);
}
