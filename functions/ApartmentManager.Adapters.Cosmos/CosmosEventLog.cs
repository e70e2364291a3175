using System.Text.Json.Nodes;
using ApartmentManager.Application.Events;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Recorded events in the <c>platform</c> container, one partition per resident (<c>events:{residentId}</c>). They are
/// recorded by <see cref="CosmosWebhookStore.FanOutAsync"/> from the requests' change feed: in Cosmos DB the history
/// entries written in the same single-document write as each state change are the outbox.
/// </summary>
public sealed class CosmosEventLog(CosmosPlatform platform) : IEventLog
{
    public async Task<IReadOnlyList<DomainEvent>> ForResidentAsync(string residentId, CancellationToken cancellationToken = default)
    {
        var found = await platform.QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.kind = 'event' ORDER BY c.sortKey"),
            CosmosPlatform.EventsOf(residentId), int.MaxValue, cancellationToken);
        return [.. found.Select(Read)];
    }

    /// <summary>The highest sequence recorded for a request (-1 when none).</summary>
    internal async Task<int> RecordedThroughAsync(string residentId, string requestId, CancellationToken ct)
    {
        var found = await platform.QueryAsync(
            new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.kind = 'event' AND c.requestId = @id ORDER BY c.sequence DESC").WithParameter("@id", requestId),
            CosmosPlatform.EventsOf(residentId), 1, ct);
        return found.Count == 0 ? -1 : found[0]["sequence"]!.GetValue<int>();
    }

    internal Task RecordAsync(DomainEvent e, CancellationToken ct) =>
        platform.CreateAsync(Document(e), CosmosPlatform.EventsOf(e.ResidentId), ct);

    internal static JsonObject Document(DomainEvent e) => new()
    {
        ["id"] = e.Id,
        ["pk"] = CosmosPlatform.EventsOf(e.ResidentId),
        ["kind"] = "event",
        ["requestId"] = e.RequestId,
        ["sequence"] = e.Sequence,
        ["sortKey"] = CosmosPlatform.Key(e.OccurredAt) + "|" + e.Id,
        ["event"] = JsonNode.Parse(EventJsonContext.Serialize(e)),
    };

    internal static DomainEvent Read(JsonObject d) => EventJsonContext.Deserialize(d["event"]!.ToJsonString());
}
