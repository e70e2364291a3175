using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Functions.Workflow;

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
    DateTimeOffset OccurredAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RequestEvent))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
