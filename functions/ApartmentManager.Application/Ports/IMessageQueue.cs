namespace ApartmentManager.Application.Ports;

/// <summary>One message as operators see it.</summary>
public sealed record QueuedMessage(
    string Queue,
    string MessageId,
    string Body,
    int Attempts,
    string State,
    string? LastError,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DeadLetteredAt);

/// <summary>Depth of one queue by state.</summary>
public sealed record QueueDepth(string Queue, int Ready, int InFlight, int DeadLettered, int Completed);

/// <summary>
/// The single-node stand-in for Service Bus queues: at-least-once, de-duplicated by message id, dead-lettered after the
/// maximum number of attempts, and visible and re-drivable by operators.
/// </summary>
public interface IMessageQueue
{
    /// <summary>Adds a message; false if a message with this id was already enqueued on the queue (duplicate detection).</summary>
    Task<bool> EnqueueAsync(string queue, string messageId, string body, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QueueDepth>> DepthsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QueuedMessage>> DeadLettersAsync(string queue, int limit, CancellationToken cancellationToken = default);

    /// <summary>Puts dead-lettered messages (one, or all when <paramref name="messageId"/> is null) back to ready with fresh attempts.</summary>
    Task<int> RedriveAsync(string queue, string? messageId, CancellationToken cancellationToken = default);
}
