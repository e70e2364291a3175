namespace ApartmentManager.Functions.Messaging;

/// <summary>
/// A resident's request arriving from another channel (SMS, e-mail, voice gateways) on queue <c>requests-intake</c>.
/// The sender has already identified the resident; the Service Bus message id makes redelivery idempotent.
/// </summary>
public sealed record IntakeMessage(string? ResidentId, string? Building, string? Unit, string? Message, string? Channel);

/// <summary>
/// A message that can never be processed. Thrown so that Service Bus redelivers it up to the queue's max delivery
/// count and then dead-letters it, where operators can see it (the Functions binding cannot dead-letter directly
/// without the Service Bus SDK types).
/// </summary>
public sealed class PoisonMessageException(string queue, string? messageId, string reason)
    : Exception($"Message '{messageId ?? "(no id)"}' on '{queue}' cannot be processed: {reason}");
