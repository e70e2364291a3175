using ApartmentManager.Api.Messaging;
using ApartmentManager.Functions.Platform;
using ApartmentManager.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// Queue <c>executions</c>: hands the command to the pipeline's execute step (idempotent per request, so a redelivery
/// never repeats an action). What happened reaches topic <c>request-events</c> as the request's domain events
/// (<c>request.executed</c>, <c>request.execution_failed</c>, …) through the outbox dispatcher, like every other change.
/// </summary>
public sealed partial class ExecutionsFunction(IPipelineSteps steps, ILogger<ExecutionsFunction> logger)
{
    public const string Queue = QueueNames.Executions;

    [Function("Executions")]
    public async Task Run(
        [ServiceBusTrigger(Queue, Connection = ServiceBusDomainEventPublisher.Connection)] ExecutionCommand command,
        FunctionContext context,
        CancellationToken ct)
    {
        var messageId = context.BindingContext.BindingData.TryGetValue("MessageId", out var id) ? id?.ToString() : null;
        var outcome = await QueueHandlers.HandleExecutionAsync(steps, messageId, command, ct);
        LogExecuted(command.RequestId!, outcome.Succeeded, messageId); // the request id is validated by the handler
    }

    [LoggerMessage(LogLevel.Information, "Execution command for {RequestId} done (succeeded: {Succeeded}, message {MessageId})")]
    private partial void LogExecuted(string requestId, bool succeeded, string? messageId);
}
