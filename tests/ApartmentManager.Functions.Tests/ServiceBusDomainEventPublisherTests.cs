using ApartmentManager.Application.Events;
using ApartmentManager.Domain;
using ApartmentManager.Functions.Platform;
using Azure.Messaging.ServiceBus;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The Service Bus side of the domain events (no local Service Bus stands in, so the sender is the one mocked edge):
/// every event goes out as its catalogue JSON with the event id as message id and its recorded trace context.
/// </summary>
public sealed class ServiceBusDomainEventPublisherTests
{
    private static DomainEvent Event(int sequence, string? traceParent = null) => new(
        $"req_1.{sequence}", sequence == 0 ? "request.created" : "request.classified", "req_1", "res-1", sequence,
        new DateTimeOffset(2026, 11, 30, 9, 0, sequence, TimeSpan.Zero), "system",
        sequence == 0 ? RequestStatus.Received : RequestStatus.Classified, sequence == 0 ? null : RequestStatus.Received, null,
        "maple-court", "4B", traceParent);

    [Fact]
    public async Task Each_event_is_one_message_with_its_id_type_json_and_trace_context()
    {
        var sent = new List<ServiceBusMessage>();
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, sent));
        sender.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        await new ServiceBusDomainEventPublisher(sender.Object).PublishAsync([Event(0, TraceParent), Event(1)]);

        Assert.Equal(["req_1.0", "req_1.1"], sent.Select(m => m.MessageId));
        Assert.Equal(["request.created", "request.classified"], sent.Select(m => m.Subject));
        Assert.Equal(EventJsonContext.Serialize(Event(0, TraceParent)), sent[0].Body.ToString());
        Assert.Equal("application/json", sent[0].ContentType);
        Assert.Equal(TraceParent, sent[0].ApplicationProperties["Diagnostic-Id"]);
        Assert.False(sent[1].ApplicationProperties.ContainsKey("Diagnostic-Id"));
        sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_failed_send_is_thrown_so_the_dispatcher_takes_the_events_again()
    {
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, new List<ServiceBusMessage>()));
        sender.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("namespace unreachable", ServiceBusFailureReason.ServiceCommunicationProblem));

        await Assert.ThrowsAsync<ServiceBusException>(() => new ServiceBusDomainEventPublisher(sender.Object).PublishAsync([Event(0)]));
    }
}
