using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using ApartmentManager.Functions.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// Queue <c>requests-intake</c>: creates the request and starts its workflow, through the same
/// <see cref="RequestService.CreateAsync"/> the HTTP API uses. The Service Bus message id is the Idempotency-Key, so a
/// redelivered message finds the request it created the first time and starts nothing new.
/// </summary>
public sealed partial class IntakeFunction(RequestService service, DurableClientAccessor durable, ILogger<IntakeFunction> logger)
{
    public const string Queue = "requests-intake";
    private const int MaxResidentIdLength = 128;

    [Function("RequestsIntake")]
    public async Task Run(
        [ServiceBusTrigger(Queue, Connection = RequestEventPublisher.Connection)] IntakeMessage message,
        [DurableClient] DurableTaskClient client,
        FunctionContext context,
        CancellationToken ct)
    {
        durable.Client = client;
        var messageId = context.BindingContext.BindingData.TryGetValue("MessageId", out var id) ? id?.ToString() : null;
        if (string.IsNullOrWhiteSpace(messageId))
        {
            throw new PoisonMessageException(Queue, null, "it has no message id, so it cannot be processed idempotently");
        }
        if (message is null || string.IsNullOrWhiteSpace(message.ResidentId) || message.ResidentId.Length > MaxResidentIdLength)
        {
            throw new PoisonMessageException(Queue, messageId, $"residentId is required (at most {MaxResidentIdLength} characters)");
        }

        NewRequest request;
        try
        {
            request = RequestValidation.ToNewRequest(new CreateRequestBody(message.Building, message.Unit, message.Message, message.Channel));
        }
        catch (ValidationFailedException invalid)
        {
            throw new PoisonMessageException(Queue, messageId,
                string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var caller = new Caller(message.ResidentId, IsAdmin: false, IsResident: true);
        try
        {
            var result = await service.CreateAsync(caller, request, idempotencyKey: messageId, ct);
            LogAccepted(messageId, result.Request.Value.Id, result.Replayed);
        }
        catch (IdempotencyKeyReusedException reused)
        {
            throw new PoisonMessageException(Queue, messageId, reused.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Intake message {MessageId} → request {RequestId} (replayed: {Replayed})")]
    private partial void LogAccepted(string messageId, string requestId, bool replayed);
}
