using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// A domain event on topic <c>request-events</c>. Delivery is at least once (an activity can run again after a crash),
/// so subscribers deduplicate on <see cref="EventId"/>, which is deterministic per instance, step and occurrence.
/// </summary>
public sealed record RequestEvent(
    string EventId,
    string Type,
    string RequestId,
    string Step,
    RequestStatus? Status,
    string? OptionId,
    string? Detail,
    DateTimeOffset OccurredAt)
{
    /// <summary>The activity that sends an event; it returns the serialized event.</summary>
    public const string PublishActivity = "PublishRequestEvent";

    public const string Topic = "request-events";

    public string Serialize() => JsonSerializer.Serialize(this, RequestEventJsonContext.Default.RequestEvent);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RequestEvent))]
internal sealed partial class RequestEventJsonContext : JsonSerializerContext;
