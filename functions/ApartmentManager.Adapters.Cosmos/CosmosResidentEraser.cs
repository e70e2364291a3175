using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Serialization;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Erasure in Cosmos DB. The partition key is the resident id, so pseudonymising moves documents: each is written,
/// erased, under the pseudonym's partition, then deleted from the resident's. Order matters and every step is
/// idempotent: recorded events first (so the change feed of the moved requests finds them recorded and publishes
/// nothing twice), then deliveries and audit entries in place, then the requests themselves (last: once they are
/// gone from the resident's partition, a repeated erasure finds nothing).
/// </summary>
public sealed class CosmosResidentEraser(CosmosPlatform platform) : IPersonalDataHolder
{
    public string Name => "requests";

    public bool RunsLast => true;

    public async Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default)
    {
        var changed = 0;
        var from = CosmosPlatform.EventsOf(scope.ResidentId);
        var to = CosmosPlatform.EventsOf(scope.Pseudonym);
        foreach (var document in await platform.QueryAsync(new QueryDefinition("SELECT * FROM c"), from, int.MaxValue, cancellationToken))
        {
            var erased = PersonalData.Erase(CosmosEventLog.Read(document), scope.ResidentId, scope.Pseudonym);
            await platform.CreateAsync(CosmosEventLog.Document(erased), to, cancellationToken);
            await platform.DeleteAsync(document["id"]!.GetValue<string>(), from, cancellationToken);
            changed++;
        }

        foreach (var d in await platform.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = 'delivery' AND c.residentId = @resident").WithParameter("@resident", scope.ResidentId),
            CosmosPlatform.Deliveries, int.MaxValue, cancellationToken))
        {
            var copy = CosmosPlatform.WithoutSystemProperties(d);
            copy["residentId"] = scope.Pseudonym;
            copy["payload"] = EventJsonContext.Serialize(PersonalData.Erase(EventJsonContext.Deserialize(d["payload"]!.GetValue<string>()), scope.ResidentId, scope.Pseudonym));
            await platform.UpsertAsync(copy, CosmosPlatform.Deliveries, cancellationToken);
            changed++;
        }

        foreach (var d in await platform.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = 'audit' AND (c.actor = @resident OR (c.targetType = 'resident' AND c.targetId = @resident))")
                .WithParameter("@resident", scope.ResidentId),
            CosmosPlatform.Audit, int.MaxValue, cancellationToken))
        {
            var copy = CosmosPlatform.WithoutSystemProperties(d);
            if (copy["actor"]!.GetValue<string>() == scope.ResidentId)
            {
                copy["actor"] = scope.Pseudonym;
            }
            if (copy["targetId"]!.GetValue<string>() == scope.ResidentId)
            {
                copy["targetId"] = scope.Pseudonym;
            }
            await platform.UpsertAsync(copy, CosmosPlatform.Audit, cancellationToken);
            changed++;
        }

        foreach (var document in await CosmosPlatform.QueryAsync(platform.Requests, new QueryDefinition("SELECT * FROM c"), scope.ResidentId, int.MaxValue, cancellationToken))
        {
            var request = JsonSerializer.Deserialize(document.ToJsonString(), StoreJsonContext.Default.ResidentRequest)!;
            using (var body = RequestDocument.Write(PersonalData.Erase(request, scope.Pseudonym)))
            using (var created = await platform.Requests.CreateItemStreamAsync(body, new PartitionKey(scope.Pseudonym), cancellationToken: cancellationToken))
            {
                if (created.StatusCode != HttpStatusCode.Conflict)
                {
                    created.EnsureSuccessStatusCode();
                }
            }
            using (var deleted = await platform.Requests.DeleteItemStreamAsync(request.Id, new PartitionKey(scope.ResidentId), cancellationToken: cancellationToken))
            {
                if (deleted.StatusCode != HttpStatusCode.NotFound)
                {
                    deleted.EnsureSuccessStatusCode();
                }
            }
            changed++;
        }
        return changed;
    }
}
