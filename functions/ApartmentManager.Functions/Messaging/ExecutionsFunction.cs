using ApartmentManager.Api.Messaging;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow.Durable;
using ApartmentManager.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// Queue <c>executions</c>: hands the command to the pipeline's execute step (idempotent per request, so a redelivery
/// never repeats an action) and reports the outcome as a <see cref="RequestEvent"/> on topic <c>request-events</c>.
/// </summary>
public sealed partial class ExecutionsFunction(IPipelineSteps steps, TimeProvider clock, ILogger<ExecutionsFunction> logger)
{
    public const string Queue = QueueNames.Executions;

    [Function("Executions")]
    [ServiceBusOutput(RequestEventPublisher.Topic, ServiceBusEntityType.Topic, Connection = RequestEventPublisher.Connection)]
    public async Task<string> Run(
        [ServiceBusTrigger(Queue, Connection = RequestEventPublisher.Connection)] ExecutionCommand command,
        FunctionContext context,
        CancellationToken ct)
    {
        var messageId = context.BindingContext.BindingData.TryGetValue("MessageId", out var id) ? id?.ToString() : null;
        var outcome = await QueueHandlers.HandleExecutionAsync(steps, messageId, command, ct);
        var requestId = command.RequestId!; // validated by the handler
        LogExecuted(requestId, outcome.Succeeded, messageId);
        return RequestEventPublisher.Serialize(new RequestEvent(
            $"{requestId}:{WorkflowSteps.Execute.Name}:{messageId ?? "command"}",
            outcome.Succeeded ? WorkflowSteps.Execute.EventType! : "request.execution_failed",
            requestId,
            WorkflowSteps.Execute.Name,
            Status: null,
            command.OptionId,
            outcome.Succeeded ? string.Join(",", outcome.ExecutionIds) : outcome.Error,
            clock.GetUtcNow()));
    }

    [LoggerMessage(LogLevel.Information, "Execution command for {RequestId} done (succeeded: {Succeeded}, message {MessageId})")]
    private partial void LogExecuted(string requestId, bool succeeded, string? messageId);
}
