using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApartmentManager.Application.Events;

/// <summary>The published form of an event (webhook bodies, the Service Bus topic, the stored outbox rows).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DomainEvent))]
public sealed partial class EventJsonContext : JsonSerializerContext
{
    public static string Serialize(DomainEvent e) => JsonSerializer.Serialize(e, Default.DomainEvent);

    public static DomainEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Default.DomainEvent) ?? throw new InvalidDataException("A stored event is empty.");
}
