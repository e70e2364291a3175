using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The <c>platform</c> container (partition key <c>/pk</c>) and the few stream operations its stores share. Partitions:
/// <c>events:{residentId}</c> (a resident's recorded events), <c>webhooks</c>, <c>deliveries</c>, <c>audit</c>, <c>cursors</c>.
/// </summary>
public sealed class CosmosPlatform(CosmosClient client, IOptions<CosmosDbOptions> options)
{
    public const string PartitionKeyPath = "/pk";
    public const string Webhooks = "webhooks";
    public const string Deliveries = "deliveries";
    public const string Audit = "audit";
    public const string Cursors = "cursors";

    public static string EventsOf(string residentId) => "events:" + residentId;

    public Container Container { get; } = client.GetContainer(options.Value.Database, options.Value.PlatformContainer);

    public Container Requests { get; } = client.GetContainer(options.Value.Database, options.Value.RequestsContainer);

    /// <summary>Fixed-width UTC text whose ordinal order is time order (numbers lose precision above 2^53 in Cosmos DB).</summary>
    public static string Key(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string key) =>
        DateTimeOffset.ParseExact(key, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Creates a document; false when one with that id exists in the partition already.</summary>
    public async Task<bool> CreateAsync(JsonObject document, string partition, CancellationToken ct)
    {
        using var body = Stream(document);
        using var response = await Container.CreateItemStreamAsync(body, new PartitionKey(partition), cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task UpsertAsync(JsonObject document, string partition, CancellationToken ct)
    {
        using var body = Stream(document);
        using var response = await Container.UpsertItemStreamAsync(body, new PartitionKey(partition), cancellationToken: ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Replaces if the ETag still matches; false when it does not (or the document is gone).</summary>
    public async Task<bool> ReplaceAsync(JsonObject document, string partition, string etag, CancellationToken ct)
    {
        using var body = Stream(document);
        using var response = await Container.ReplaceItemStreamAsync(body, document["id"]!.GetValue<string>(), new PartitionKey(partition),
            new ItemRequestOptions { IfMatchEtag = etag }, ct);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<JsonObject?> ReadAsync(string id, string partition, CancellationToken ct)
    {
        using var response = await Container.ReadItemStreamAsync(id, new PartitionKey(partition), cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(response.Content, cancellationToken: ct))!.AsObject();
    }

    public async Task<bool> DeleteAsync(string id, string partition, CancellationToken ct)
    {
        using var response = await Container.DeleteItemStreamAsync(id, new PartitionKey(partition), cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>Runs a query (in one partition when given) and returns up to <paramref name="max"/> documents.</summary>
    public Task<List<JsonObject>> QueryAsync(QueryDefinition query, string? partition, int max, CancellationToken ct) =>
        QueryAsync(Container, query, partition, max, ct);

    public static async Task<List<JsonObject>> QueryAsync(Container container, QueryDefinition query, string? partition, int max, CancellationToken ct)
    {
        var options = new QueryRequestOptions { MaxItemCount = Math.Min(max, 1000) };
        if (partition is not null)
        {
            options.PartitionKey = new PartitionKey(partition);
        }
        var found = new List<JsonObject>();
        using var iterator = container.GetItemQueryStreamIterator(query, continuationToken: null, options);
        while (found.Count < max && iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(ct);
            page.EnsureSuccessStatusCode();
            var json = await JsonNode.ParseAsync(page.Content, cancellationToken: ct);
            foreach (var document in json?["Documents"]?.AsArray() ?? [])
            {
                if (document is JsonObject o)
                {
                    found.Add((JsonObject)o.DeepClone());
                    if (found.Count == max)
                    {
                        break;
                    }
                }
            }
        }
        return found;
    }

    public static MemoryStream Stream(JsonObject document)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            document.WriteTo(writer);
        }
        stream.Position = 0;
        return stream;
    }

    /// <summary>A copy without Cosmos DB's system properties (to write it again elsewhere).</summary>
    public static JsonObject WithoutSystemProperties(JsonObject document)
    {
        var copy = (JsonObject)document.DeepClone();
        foreach (var name in new[] { "_rid", "_self", "_etag", "_attachments", "_ts", "_lsn" })
        {
            copy.Remove(name);
        }
        return copy;
    }
}
