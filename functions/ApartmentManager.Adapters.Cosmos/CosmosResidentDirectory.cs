using System.Net;
using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Serialization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>The resident directory in its own Cosmos DB container (partitioned by <c>/id</c>, the resident id): one document per resident.</summary>
public sealed class CosmosResidentDirectory(CosmosClient client, IOptions<CosmosDbOptions> options) : IResidentDirectory
{
    private readonly Container _container = client.GetContainer(options.Value.Database, options.Value.ResidentsContainer);

    public async Task<ResidentEntry?> GetAsync(string residentId, CancellationToken cancellationToken = default)
    {
        using var response = await _container.ReadItemStreamAsync(residentId, new PartitionKey(residentId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return document.RootElement.GetProperty("entry").Deserialize(StoreJsonContext.Default.ResidentEntry);
    }

    public async Task<ResidentEntry> UpsertAsync(ResidentEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = "{\"id\":" + JsonSerializer.Serialize(entry.ResidentId, StoreJsonContext.Default.String)
            + ",\"entry\":" + JsonSerializer.Serialize(entry, StoreJsonContext.Default.ResidentEntry) + "}";
        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        using var response = await _container.UpsertItemStreamAsync(body, new PartitionKey(entry.ResidentId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
        return entry;
    }

    public async Task<bool> DeleteAsync(string residentId, CancellationToken cancellationToken = default)
    {
        using var response = await _container.DeleteItemStreamAsync(residentId, new PartitionKey(residentId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }
}
