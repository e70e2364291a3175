using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using ApartmentManager.Workflow;

namespace ApartmentManager.Api.Messaging;

/// <summary>
/// What the queue consumers do, written once for the Service Bus triggers (Azure) and the embedded queue (single node).
/// The message id is the idempotency key, so a redelivered message finds the request it created the first time.
/// </summary>
public static class QueueHandlers
{
    private const int MaxResidentIdLength = 128;

    public static async Task<CreateResult> HandleIntakeAsync(RequestService service, string? messageId, IntakeMessage? message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            throw new PoisonMessageException(QueueNames.RequestsIntake, null, "it has no message id, so it cannot be processed idempotently");
        }
        if (message is null || string.IsNullOrWhiteSpace(message.ResidentId) || message.ResidentId.Length > MaxResidentIdLength)
        {
            throw new PoisonMessageException(QueueNames.RequestsIntake, messageId, $"residentId is required (at most {MaxResidentIdLength} characters)");
        }

        NewRequest request;
        try
        {
            request = RequestValidation.ToNewRequest(new CreateRequestBody(message.Building, message.Unit, message.Message, message.Channel));
        }
        catch (ValidationFailedException invalid)
        {
            throw new PoisonMessageException(QueueNames.RequestsIntake, messageId,
                string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        try
        {
            return await service.CreateAsync(new Caller(message.ResidentId, IsAdmin: false, IsResident: true), request, idempotencyKey: messageId, ct);
        }
        catch (IdempotencyKeyReusedException reused)
        {
            throw new PoisonMessageException(QueueNames.RequestsIntake, messageId, reused.Message);
        }
    }

    public static Task<ExecutionOutcome> HandleExecutionAsync(IPipelineSteps steps, string? messageId, ExecutionCommand? command, CancellationToken ct)
    {
        if (command is null || string.IsNullOrWhiteSpace(command.RequestId))
        {
            throw new PoisonMessageException(QueueNames.Executions, messageId, "requestId is required");
        }
        return steps.ExecuteAsync(new StepInput(command.RequestId, command.OptionId, command.Reason), ct);
    }
}
