using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ApartmentManager.Application.Paging;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Requests in Cosmos DB: one document per request (history embedded) in the <c>requests</c> container, partitioned
/// by resident. Every write is a single-document operation, atomic on its own; optimistic concurrency is the
/// document's <c>_etag</c> sent as If-Match. Listings page by keyset (<see cref="KeysetToken"/>) like the SQLite
/// adapter, so a page boundary survives concurrent inserts and a token cannot be replayed against other filters.
/// </summary>
/// <remarks>
/// Item operations use the stream APIs: the stored JSON is written and read with the same source-generated
/// <c>StoreJsonContext</c> as SQLite, and 404/409/412 arrive as status codes rather than exceptions.
/// </remarks>
public sealed class CosmosRequestStore : IRequestStore
{
    private readonly Container _container;
    private readonly ILogger _logger;
    private readonly double _warnAbove;

    public CosmosRequestStore(CosmosClient client, IOptions<CosmosDbOptions> options, ILogger<CosmosRequestStore> logger)
    {
        var o = options.Value;
        _container = client.GetContainer(o.Database, o.RequestsContainer);
        _logger = logger;
        _warnAbove = o.RequestChargeWarningThreshold;
    }

    public Container Container => _container;

    public async Task<Versioned<ResidentRequest>> CreateAsync(ResidentRequest request, CancellationToken cancellationToken = default)
    {
        using var body = RequestDocument.Write(request);
        using var response = await _container.CreateItemStreamAsync(body, new PartitionKey(request.ResidentId), WriteOptions(), cancellationToken);
        Charged("create", response);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            // Ids derived from an idempotency key include the resident, so a duplicate is always in this partition.
            var existing = await GetAsync(request.Id, request.ResidentId, cancellationToken)
                ?? throw new InvalidOperationException($"Request '{request.Id}' collided but cannot be read.");
            throw new DuplicateRequestException(existing);
        }
        response.EnsureSuccessStatusCode();
        return new Versioned<ResidentRequest>(request, response.Headers.ETag);
    }

    public async Task<Versioned<ResidentRequest>?> GetAsync(string id, string? residentId = null, CancellationToken cancellationToken = default)
    {
        if (residentId is null)
        {
            // No partition known (an admin looking a request up): a cross-partition query on the indexed id.
            var found = await QueryItemsAsync(
                "get-by-id",
                new QueryDefinition("SELECT * FROM c WHERE c.id = @id").WithParameter("@id", id),
                partitionKey: null, max: 2, cancellationToken);
            if (found.Count > 1)
            {
                CosmosLog.IdInSeveralPartitions(_logger, id, found.Count);
            }
            return found.Count > 0 ? found[0] : null;
        }

        using var response = await _container.ReadItemStreamAsync(id, new PartitionKey(residentId), cancellationToken: cancellationToken);
        Charged("read", response);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        var root = document.RootElement;
        return new Versioned<ResidentRequest>(RequestDocument.Read(root), response.Headers.ETag ?? RequestDocument.ETagOf(root));
    }

    public async Task<Versioned<ResidentRequest>> ReplaceAsync(ResidentRequest request, string ifMatch, CancellationToken cancellationToken = default)
    {
        using var body = RequestDocument.Write(request);
        var options = WriteOptions();
        options.IfMatchEtag = ifMatch;
        using var response = await _container.ReplaceItemStreamAsync(body, request.Id, new PartitionKey(request.ResidentId), options, cancellationToken);
        Charged("replace", response);
        // 404 too: the document is gone or not in that resident's partition, so the caller's version is not current.
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConcurrencyConflictException(request.Id);
        }
        response.EnsureSuccessStatusCode();
        return new Versioned<ResidentRequest>(request, response.Headers.ETag);
    }

    public async Task<Page<ResidentRequest>> QueryAsync(RequestQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = KeysetToken.Decode(query);

        var where = new List<string>();
        var parameters = new List<(string Name, object Value)>();
        void Filter(string clause, string name, object? value)
        {
            if (value is null)
            {
                return;
            }
            where.Add(clause.Replace("@p", name, StringComparison.Ordinal));
            parameters.Add((name, value));
        }
        Filter("c.residentId = @p", "@resident", query.ResidentId);
        Filter("c.status = @p", "@status", query.Status is { } s ? Names.Of(s) : null);
        Filter($"c.{RequestDocument.Category} = @p", "@category", query.Category is { } c ? Names.Of(c) : null);
        Filter($"c.{RequestDocument.Urgency} = @p", "@urgency", query.Urgency is { } u ? Names.Of(u) : null);
        Filter("c.building = @p", "@building", query.Building);
        Filter("c.unit = @p", "@unit", query.Unit);
        Filter($"c.{RequestDocument.CreatedKey} >= @p", "@from", query.CreatedFrom is { } from ? RequestDocument.CreatedKeyOf(from) : null);
        Filter($"c.{RequestDocument.CreatedKey} <= @p", "@to", query.CreatedTo is { } to ? RequestDocument.CreatedKeyOf(to) : null);
        Filter($"c.{RequestDocument.Escalated} = @p", "@escalated", query.Escalated);
        Filter(query.Reopened == true ? $"c.{RequestDocument.ReopenCount} > @p" : $"c.{RequestDocument.ReopenCount} = @p", "@reopened",
            query.Reopened is null ? null : 0);
        Filter($"c.{RequestDocument.Rating} >= @p", "@minRating", query.MinRating);
        Filter($"c.{RequestDocument.Rating} <= @p", "@maxRating", query.MaxRating);
        Filter($"c.{RequestDocument.ResolvedKey} >= @p", "@resolvedFrom", query.ResolvedFrom is { } rf ? RequestDocument.CreatedKeyOf(rf) : null);
        Filter($"c.{RequestDocument.ResolvedKey} <= @p", "@resolvedTo", query.ResolvedTo is { } rt ? RequestDocument.CreatedKeyOf(rt) : null);
        Filter($"c.{RequestDocument.Unconfirmed} = @p", "@unconfirmed", query.Unconfirmed);
        Filter("c.selectedOptionId = @p", "@selected", query.SelectedOptionId);
        if (after is { } position)
        {
            where.Add($"(c.{RequestDocument.CreatedKey} < @afterKey OR (c.{RequestDocument.CreatedKey} = @afterKey AND c.id < @afterId))");
            parameters.Add(("@afterKey", RequestDocument.CreatedKeyOf(position.CreatedTicks)));
            parameters.Add(("@afterId", position.Id));
        }

        // One extra item tells whether another page exists without a second query.
        var take = query.Limit + 1;
        var sql = new StringBuilder("SELECT TOP ").Append(take.ToString(CultureInfo.InvariantCulture)).Append(" * FROM c");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }
        sql.Append($" ORDER BY c.{RequestDocument.CreatedKey} DESC, c.id DESC");
        var definition = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters)
        {
            definition.WithParameter(name, value);
        }

        // A resident's own listing stays in one partition; admin listings fan out across partitions.
        var partitionKey = query.ResidentId is { } resident ? new PartitionKey(resident) : (PartitionKey?)null;
        var found = await QueryItemsAsync("query", definition, partitionKey, take, cancellationToken);

        var items = found.Select(v => v.Value).ToList();
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = new KeysetToken(last.CreatedAt.UtcTicks, last.Id).Encode(query);
        }
        return new Page<ResidentRequest>(items, next);
    }

    public async Task<int> CountForUnitAsync(string building, string unit, DateTimeOffset since, Category? category = null, CancellationToken cancellationToken = default)
    {
        var definition = new QueryDefinition(
                $"SELECT VALUE COUNT(1) FROM c WHERE c.building = @building AND c.unit = @unit AND c.{RequestDocument.CreatedKey} >= @since"
                + (category is null ? "" : " AND c.category = @category"))
            .WithParameter("@building", building)
            .WithParameter("@unit", unit)
            .WithParameter("@since", RequestDocument.CreatedKeyOf(since))
            .WithParameter("@category", category is { } c ? Names.Of(c) : null);

        var total = 0;
        var charge = 0.0;
        var pages = 0;
        using var iterator = _container.GetItemQueryStreamIterator(definition);
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            charge += page.Headers.RequestCharge;
            pages++;
            page.EnsureSuccessStatusCode();
            // The SDK combines per-partition counts into one value; adding up whatever arrives is right either way.
            foreach (var value in await DocumentsAsync(page, cancellationToken))
            {
                total += value.GetInt32();
            }
        }
        Queried("count", total, pages, charge, crossPartition: true);
        return total;
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // A point read of an id that never exists: 1 RU, and it proves the endpoint, the credential's data-plane
            // role and the container all at once. "Not found" means the item; a missing container has a sub-status.
            using var response = await _container.ReadItemStreamAsync("readiness-probe", new PartitionKey("readiness-probe"), cancellationToken: cancellationToken);
            Charged("probe", response);
            var reachable = response.IsSuccessStatusCode
                || (response.StatusCode == HttpStatusCode.NotFound && SubStatus(response) == 0);
            if (!reachable)
            {
                CosmosLog.Unanswered(_logger, _container.Id, response.StatusCode, SubStatus(response));
            }
            return reachable;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CosmosLog.Unreachable(_logger, _container.Id, e);
            return false;
        }
    }

    private async Task<List<Versioned<ResidentRequest>>> QueryItemsAsync(
        string operation, QueryDefinition definition, PartitionKey? partitionKey, int max, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { MaxItemCount = max };
        if (partitionKey is { } key)
        {
            options.PartitionKey = key;
        }
        var items = new List<Versioned<ResidentRequest>>(max);
        var charge = 0.0;
        var pages = 0;
        using var iterator = _container.GetItemQueryStreamIterator(definition, continuationToken: null, options);
        // A cross-partition page can hold fewer items than asked for while more remain, so read until full or done.
        while (items.Count < max && iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            charge += page.Headers.RequestCharge;
            pages++;
            page.EnsureSuccessStatusCode();
            foreach (var document in await DocumentsAsync(page, cancellationToken))
            {
                items.Add(new Versioned<ResidentRequest>(RequestDocument.Read(document), RequestDocument.ETagOf(document)));
                if (items.Count == max)
                {
                    break;
                }
            }
        }
        Queried(operation, items.Count, pages, charge, crossPartition: partitionKey is null);
        return items;
    }

    /// <summary>The <c>Documents</c> array of a query page, detached from the response stream.</summary>
    private static async Task<JsonElement[]> DocumentsAsync(ResponseMessage page, CancellationToken cancellationToken)
    {
        if (page.Content is null)
        {
            return [];
        }
        using var json = await JsonDocument.ParseAsync(page.Content, cancellationToken: cancellationToken);
        return json.RootElement.TryGetProperty("Documents", out var documents)
            ? documents.EnumerateArray().Select(d => d.Clone()).ToArray()
            : [];
    }

    /// <summary>Writes do not need the document echoed back: the caller already holds it, and the ETag is a header.</summary>
    private static ItemRequestOptions WriteOptions() => new() { EnableContentResponseOnWrite = false };

    private static int SubStatus(ResponseMessage response) =>
        int.TryParse(response.Headers["x-ms-substatus"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private void Charged(string operation, ResponseMessage response)
    {
        var charge = response.Headers.RequestCharge;
        CosmosLog.Charged(_logger, Level(charge), operation, _container.Id, response.StatusCode, charge,
            response.Diagnostics?.GetClientElapsedTime().TotalMilliseconds ?? 0);
    }

    private void Queried(string operation, int items, int pages, double charge, bool crossPartition) =>
        CosmosLog.Queried(_logger, Level(charge), operation, _container.Id, items, pages, charge, crossPartition);

    private LogLevel Level(double charge) => charge > _warnAbove ? LogLevel.Warning : LogLevel.Debug;
}
