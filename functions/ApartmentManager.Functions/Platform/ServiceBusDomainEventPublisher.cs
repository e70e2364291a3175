using ApartmentManager.Application.Events;
using Azure.Messaging.ServiceBus;

namespace ApartmentManager.Functions.Platform;

/// <summary>
/// The Functions app's <see cref="IDomainEventPublisher"/>: every domain event, as its catalogue JSON, on the Service Bus
/// topic <c>request-events</c> — the same events single node keeps in its embedded topic and webhook subscribers get.
/// Message id = event id (duplicate detection on the topic drops a re-sent batch), subject = event type, session-free;
/// <c>Diagnostic-Id</c> and <c>traceparent</c> carry the trace context recorded with the event, so a consumer's trace
/// joins the request's.
/// </summary>
public sealed class ServiceBusDomainEventPublisher(ServiceBusSender sender) : IDomainEventPublisher
{
    public const string Topic = "request-events";

    /// <summary>The identity-based connection settings (<c>ServiceBusConnection__fullyQualifiedNamespace</c>, <c>__clientId</c>), shared with the Service Bus triggers.</summary>
    public const string Connection = "ServiceBusConnection";

    public string Name => "service-bus:" + Topic;

    public async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }
        var pending = new Queue<ServiceBusMessage>(events.Select(ToMessage));
        while (pending.Count > 0)
        {
            using var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
            while (pending.Count > 0 && batch.TryAddMessage(pending.Peek()))
            {
                pending.Dequeue();
            }
            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"Event {pending.Peek().MessageId} is too large for a Service Bus message.");
            }
            await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public static ServiceBusMessage ToMessage(DomainEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = new ServiceBusMessage(BinaryData.FromString(EventJsonContext.Serialize(e)))
        {
            MessageId = e.Id,
            Subject = e.Type,
            ContentType = "application/json",
        };
        message.ApplicationProperties["requestId"] = e.RequestId;
        message.ApplicationProperties["eventType"] = e.Type;
        if (e.TraceParent is { } traceParent)
        {
            message.ApplicationProperties["Diagnostic-Id"] = traceParent;
            message.ApplicationProperties["traceparent"] = traceParent;
        }
        return message;
    }
}
