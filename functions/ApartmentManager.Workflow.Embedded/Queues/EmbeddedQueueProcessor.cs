using System.Diagnostics.Metrics;
using ApartmentManager.Observability;
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
public sealed partial class EmbeddedQueueProcessor : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);
    private readonly SqliteMessageQueue queue;
    private readonly EmbeddedQueueRegistry registry;
    private readonly IServiceProvider services;
    private readonly TimeProvider clock;
    private readonly ILogger<EmbeddedQueueProcessor> logger;

    public EmbeddedQueueProcessor(SqliteMessageQueue queue, EmbeddedQueueRegistry registry, IServiceProvider services, TimeProvider clock,
        IMeterFactory meters, ILogger<EmbeddedQueueProcessor> logger)
    {
        this.queue = queue;
        this.registry = registry;
        this.services = services;
        this.clock = clock;
        this.logger = logger;
        // am.queue.depth, read from the queue table whenever metrics are collected (the meter goes with the host).
        // Every consumed queue reports, empty ones as zeros.
        QueueTelemetry.CreateDepthMeter(meters, () =>
        {
            var depths = queue.DepthsAsync().GetAwaiter().GetResult().ToDictionary(d => d.Queue, StringComparer.Ordinal);
            return registry.Handlers.Keys.Union(depths.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(name => depths.GetValueOrDefault(name) is { } d ? (name, d.Ready, d.InFlight, d.DeadLettered) : (name, 0, 0, 0));
        });
    }

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
                using var span = QueueTelemetry.StartProcess(name, message.MessageId, message.Attempts, message.TraceParent);
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    await handler(scope.ServiceProvider, message.MessageId, message.Body, ct);
                    queue.Complete(message);
                    Count(name, "completed");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    span.Fail(e);
                    var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.Attempts - 1)));
                    if (queue.Fail(message, e.Message, backoff))
                    {
                        LogDeadLettered(name, message.MessageId, message.Attempts, e.Message);
                        Count(name, "dead_lettered");
                        QueueTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("queue", name));
                    }
                    else
                    {
                        LogRetrying(name, message.MessageId, message.Attempts, e.Message);
                        Count(name, "retried");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static void Count(string queue, string outcome) => QueueTelemetry.Processed.Add(1,
        new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("outcome", outcome));

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} on {Queue} failed (attempt {Attempt}), will retry: {Error}")]
    private partial void LogRetrying(string queue, string messageId, int attempt, string error);

    [LoggerMessage(LogLevel.Error, "Message {MessageId} on {Queue} dead-lettered after {Attempt} attempts: {Error}")]
    private partial void LogDeadLettered(string queue, string messageId, int attempt, string error);
}
