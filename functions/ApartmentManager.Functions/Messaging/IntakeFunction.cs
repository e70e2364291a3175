using ApartmentManager.Api.Messaging;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using ApartmentManager.Functions.Platform;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// Queue <c>requests-intake</c>: creates the request and starts its workflow, through the same
/// <see cref="RequestService.CreateAsync"/> the HTTP API uses. The Service Bus message id is the Idempotency-Key, so a
/// redelivered message finds the request it created the first time and starts nothing new.
/// </summary>
public sealed partial class IntakeFunction(RequestService service, ILogger<IntakeFunction> logger)
{
    public const string Queue = QueueNames.RequestsIntake;

    [Function("RequestsIntake")]
    public async Task Run(
        [ServiceBusTrigger(Queue, Connection = ServiceBusDomainEventPublisher.Connection)] IntakeMessage message,
        [DurableClient] DurableTaskClient durableClient,
        FunctionContext context,
        CancellationToken ct)
    {
        var messageId = context.BindingContext.BindingData.TryGetValue("MessageId", out var id) ? id?.ToString() : null;
        var result = await QueueHandlers.HandleIntakeAsync(service, messageId, message, ct);
        LogAccepted(messageId!, result.Request.Value.Id, result.Replayed);
    }

    [LoggerMessage(LogLevel.Information, "Intake message {MessageId} → request {RequestId} (replayed: {Replayed})")]
    private partial void LogAccepted(string messageId, string requestId, bool replayed);
}
