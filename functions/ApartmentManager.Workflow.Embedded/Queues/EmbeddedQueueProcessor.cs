using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Workflow.Embedded.Queues;

/// <summary>Handles one message of a queue: (scoped services, message id, body, cancellation).</summary>
public delegate Task QueueMessageHandler(IServiceProvider services, string messageId, string body, CancellationToken cancellationToken);

/// <summary>Which handler consumes which queue (registered by the host).</summary>
public sealed class EmbeddedQueueRegistry
{
    public Dictionary<string, QueueMessageHandler> Handlers { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Consumes the embedded queues: one message at a time per queue, leased for a minute; a handler that throws makes the
/// message reappear after a back-off, until it is dead-lettered.
/// </summary>
public sealed partial class EmbeddedQueueProcessor(
    SqliteMessageQueue queue,
    EmbeddedQueueRegistry registry,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<EmbeddedQueueProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registry.Handlers.Select(h => ConsumeAsync(h.Key, h.Value, stoppingToken)));

    private async Task ConsumeAsync(string name, QueueMessageHandler handler, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (queue.Receive(name, Lease) is not { } message)
                {
                    await Task.Delay(Idle, clock, ct);
                    continue;
                }
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    await handler(scope.ServiceProvider, message.MessageId, message.Body, ct);
                    queue.Complete(message);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.Attempts - 1)));
                    if (queue.Fail(message, e.Message, backoff))
                    {
                        LogDeadLettered(name, message.MessageId, message.Attempts, e.Message);
                    }
                    else
                    {
                        LogRetrying(name, message.MessageId, message.Attempts, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} on {Queue} failed (attempt {Attempt}), will retry: {Error}")]
    private partial void LogRetrying(string queue, string messageId, int attempt, string error);

    [LoggerMessage(LogLevel.Error, "Message {MessageId} on {Queue} dead-lettered after {Attempt} attempts: {Error}")]
    private partial void LogDeadLettered(string queue, string messageId, int attempt, string error);
}
