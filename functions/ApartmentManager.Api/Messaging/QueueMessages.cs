namespace ApartmentManager.Api.Messaging;

/// <summary>Queue names, the same in Service Bus (Azure) and in the embedded queue (single node).</summary>
public static class QueueNames
{
    public const string RequestsIntake = "requests-intake";
    public const string Executions = "executions";
    public static readonly IReadOnlyList<string> All = [RequestsIntake, Executions];
}

/// <summary>A request from another channel (SMS gateway, e-mail parser, voice transcription) on <c>requests-intake</c>.</summary>
public sealed record IntakeMessage(string? ResidentId, string? Building, string? Unit, string? Message, string? Channel);

/// <summary>
/// A command on <c>executions</c>: carry out a request's option outside a running workflow (operations re-driving a
/// failed execution, or another system). A null <see cref="OptionId"/> means the request's selected option.
/// </summary>
public sealed record ExecutionCommand(string? RequestId, string? OptionId, string? Reason);

/// <summary>
/// A message that can never be processed. Thrown so the queue redelivers it up to its maximum delivery count and then
/// dead-letters it, where operators see it and can re-drive it once the cause is fixed.
/// </summary>
public sealed class PoisonMessageException(string queue, string? messageId, string reason)
    : Exception($"Message '{messageId ?? "(no id)"}' on '{queue}' cannot be processed: {reason}");
