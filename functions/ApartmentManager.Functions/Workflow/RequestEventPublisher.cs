using ApartmentManager.Workflow.Durable;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// Sends domain events to topic <c>request-events</c>. An orchestrator may not do I/O, so the workflow calls this
/// activity, and the activity's return value goes out through the Service Bus output binding: no Service Bus SDK, and
/// identity-based connection settings under <c>ServiceBusConnection__*</c>.
/// </summary>
public static class RequestEventPublisher
{
    public const string Name = RequestEvent.PublishActivity;
    public const string Topic = RequestEvent.Topic;
    public const string Connection = "ServiceBusConnection";

    [Function(Name)]
    [ServiceBusOutput(Topic, ServiceBusEntityType.Topic, Connection = Connection)]
    public static string Run([ActivityTrigger] RequestEvent requestEvent) => Serialize(requestEvent);

    public static string Serialize(RequestEvent requestEvent) => requestEvent.Serialize();
}
