using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Domain;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Webhook subscriptions (partition <c>webhooks</c>) and deliveries (partition <c>deliveries</c>) in the <c>platform</c>
/// container. Fan-out reads the requests container's change feed from a saved continuation: for each changed request
/// it records the events of history entries not recorded yet, each after its deliveries (ids derived from subscription
/// and event, so a replay after a crash creates nothing twice), then saves the continuation. The change feed always
/// carries a request's latest version, which holds its whole history, so no event is lost when versions are skipped.
/// </summary>
public sealed class CosmosWebhookStore(CosmosPlatform platform, CosmosEventLog events) : IWebhookStore
{
    private const string FeedCursorId = "requests-change-feed";

    public Task CreateAsync(WebhookSubscription s, CancellationToken cancellationToken = default) =>
        platform.CreateAsync(new JsonObject
        {
            ["id"] = s.Id,
            ["pk"] = CosmosPlatform.Webhooks,
            ["kind"] = "subscription",
            ["url"] = s.Url.ToString(),
            ["events"] = new JsonArray([.. s.Events.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["secret"] = s.Secret,
            ["createdAt"] = CosmosPlatform.Key(s.CreatedAt),
            ["createdBy"] = s.CreatedBy,
        }, CosmosPlatform.Webhooks, cancellationToken);

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await platform.QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.kind = 'subscription' ORDER BY c.createdAt"),
            CosmosPlatform.Webhooks, 1000, cancellationToken)).Select(ReadSubscription)];

    public async Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await platform.ReadAsync(id, CosmosPlatform.Webhooks, cancellationToken) is { } d ? ReadSubscription(d) : null;

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!await platform.DeleteAsync(id, CosmosPlatform.Webhooks, cancellationToken))
        {
            return false;
        }
        var pending = await platform.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = 'delivery' AND c.subscriptionId = @id AND c.status = 'pending'").WithParameter("@id", id),
            CosmosPlatform.Deliveries, int.MaxValue, cancellationToken);
        foreach (var delivery in pending)
        {
            await platform.DeleteAsync(delivery["id"]!.GetValue<string>(), CosmosPlatform.Deliveries, cancellationToken);
        }
        return true;
    }

    public async Task<int> FanOutAsync(int max, DateTimeOffset now, Func<IReadOnlyList<DomainEvent>, CancellationToken, Task>? publish,
        CancellationToken cancellationToken = default)
    {
        var cursor = await platform.ReadAsync(FeedCursorId, CosmosPlatform.Cursors, cancellationToken);
        var start = cursor?["continuation"]?.GetValue<string>() is { } continuation
            ? ChangeFeedStartFrom.ContinuationToken(continuation)
            : ChangeFeedStartFrom.Beginning();
        using var iterator = platform.Requests.GetChangeFeedStreamIterator(start, ChangeFeedMode.LatestVersion,
            new ChangeFeedRequestOptions { PageSizeHint = max });
        using var page = await iterator.ReadNextAsync(cancellationToken);
        if (page.StatusCode == HttpStatusCode.NotModified)
        {
            return 0;
        }
        page.EnsureSuccessStatusCode();
        var documents = (await JsonNode.ParseAsync(page.Content, cancellationToken: cancellationToken))?["Documents"]?.AsArray() ?? [];
        var subscriptions = await ListAsync(cancellationToken);
        foreach (var document in documents)
        {
            var request = JsonSerializer.Deserialize(document!.ToJsonString(), Application.Serialization.StoreJsonContext.Default.ResidentRequest)!;
            var recorded = await events.RecordedThroughAsync(request.ResidentId, request.Id, cancellationToken);
            var fresh = RequestEvents.Since(request, recorded + 1);
            if (publish is not null && fresh.Count > 0)
            {
                // Before anything is recorded: a failure leaves the events unrecorded, so the next pass publishes them again.
                await publish(fresh, cancellationToken);
            }
            foreach (var e in fresh)
            {
                foreach (var s in subscriptions.Where(s => RequestEvents.Matches(s.Events, e.Type)))
                {
                    await platform.CreateAsync(DeliveryDocument(s.Id, e, now), CosmosPlatform.Deliveries, cancellationToken);
                }
                // Recorded last: a recorded event's deliveries exist.
                await events.RecordAsync(e, cancellationToken);
            }
        }
        await platform.UpsertAsync(new JsonObject
        {
            ["id"] = FeedCursorId,
            ["pk"] = CosmosPlatform.Cursors,
            ["continuation"] = page.ContinuationToken,
        }, CosmosPlatform.Cursors, cancellationToken);
        return documents.Count;
    }

    public async Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var found = await platform.QueryAsync(new QueryDefinition(
                $"SELECT TOP {max} * FROM c WHERE c.kind = 'delivery' AND c.status = 'pending' AND c.nextAttemptAt <= @now ORDER BY c.nextAttemptAt")
            .WithParameter("@now", CosmosPlatform.Key(now)), CosmosPlatform.Deliveries, max, cancellationToken);
        var subscriptions = (await ListAsync(cancellationToken)).ToDictionary(s => s.Id);
        return [.. found.Where(d => subscriptions.ContainsKey(d["subscriptionId"]!.GetValue<string>())).Select(d =>
        {
            var s = subscriptions[d["subscriptionId"]!.GetValue<string>()];
            return new DueDelivery(ReadDelivery(d), s.Url, s.Secret, d["payload"]!.GetValue<string>());
        })];
    }

    public async Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var d = await platform.ReadAsync(deliveryId, CosmosPlatform.Deliveries, cancellationToken);
            if (d is null || d["status"]!.GetValue<string>() != Names.Of(DeliveryStatus.Pending))
            {
                return;
            }
            var etag = d["_etag"]!.GetValue<string>();
            d = CosmosPlatform.WithoutSystemProperties(d);
            d["attempts"] = d["attempts"]!.GetValue<int>() + 1;
            d["status"] = Names.Of(attempt.Succeeded ? DeliveryStatus.Succeeded : attempt.NextAttemptAt is null ? DeliveryStatus.DeadLettered : DeliveryStatus.Pending);
            d["lastAttemptAt"] = CosmosPlatform.Key(attempt.At);
            d["lastStatusCode"] = attempt.StatusCode;
            d["lastError"] = attempt.Error;
            if (attempt.NextAttemptAt is { } next)
            {
                d["nextAttemptAt"] = CosmosPlatform.Key(next);
            }
            d["deliveredAt"] = attempt.Succeeded ? CosmosPlatform.Key(attempt.At) : null;
            if (await platform.ReplaceAsync(d, CosmosPlatform.Deliveries, etag, cancellationToken))
            {
                return;
            }
        }
    }

    public async Task<Page<WebhookDelivery>> DeliveriesAsync(string subscriptionId, DeliveryStatus? status, int limit, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT TOP {limit + 1} * FROM c WHERE c.kind = 'delivery' AND c.subscriptionId = @id");
        if (status is not null)
        {
            sql.Append(" AND c.status = @status");
        }
        if (continuationToken is not null)
        {
            if (continuationToken.Length is < 30 or > 200 || continuationToken[28] != '|')
            {
                throw new InvalidContinuationTokenException("not a delivery position");
            }
            sql.Append(" AND c.sortKey < @after");
        }
        sql.Append(" ORDER BY c.sortKey DESC");
        var definition = new QueryDefinition(sql.ToString()).WithParameter("@id", subscriptionId)
            .WithParameter("@status", status is { } s ? Names.Of(s) : null).WithParameter("@after", continuationToken);
        var found = await platform.QueryAsync(definition, CosmosPlatform.Deliveries, limit + 1, cancellationToken);
        string? next = null;
        if (found.Count > limit)
        {
            found.RemoveAt(found.Count - 1);
            next = found[^1]["sortKey"]!.GetValue<string>();
        }
        return new Page<WebhookDelivery>([.. found.Select(ReadDelivery)], next);
    }

    public async Task<WebhookDelivery?> RedeliverAsync(string subscriptionId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var d = await platform.ReadAsync(deliveryId, CosmosPlatform.Deliveries, cancellationToken);
            if (d is null || d["subscriptionId"]!.GetValue<string>() != subscriptionId)
            {
                return null;
            }
            var etag = d["_etag"]!.GetValue<string>();
            d = CosmosPlatform.WithoutSystemProperties(d);
            d["status"] = Names.Of(DeliveryStatus.Pending);
            d["attempts"] = 0;
            d["nextAttemptAt"] = CosmosPlatform.Key(now);
            d["deliveredAt"] = null;
            if (await platform.ReplaceAsync(d, CosmosPlatform.Deliveries, etag, cancellationToken))
            {
                return ReadDelivery(d);
            }
        }
        throw new ConcurrencyConflictException(deliveryId);
    }

    /// <summary>One delivery per (subscription, event): the id is derived from both.</summary>
    internal static string DeliveryId(string subscriptionId, string eventId) =>
        "dlv_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subscriptionId + "\n" + eventId)))[..32];

    private static JsonObject DeliveryDocument(string subscriptionId, DomainEvent e, DateTimeOffset now)
    {
        var id = DeliveryId(subscriptionId, e.Id);
        return new JsonObject
        {
            ["id"] = id,
            ["pk"] = CosmosPlatform.Deliveries,
            ["kind"] = "delivery",
            ["subscriptionId"] = subscriptionId,
            ["eventId"] = e.Id,
            ["eventType"] = e.Type,
            ["residentId"] = e.ResidentId,
            ["payload"] = EventJsonContext.Serialize(e),
            ["status"] = Names.Of(DeliveryStatus.Pending),
            ["attempts"] = 0,
            ["createdAt"] = CosmosPlatform.Key(now),
            ["sortKey"] = CosmosPlatform.Key(now) + "|" + id,
            ["nextAttemptAt"] = CosmosPlatform.Key(now),
        };
    }

    private static WebhookSubscription ReadSubscription(JsonObject d) => new(
        d["id"]!.GetValue<string>(), new Uri(d["url"]!.GetValue<string>()),
        [.. d["events"]!.AsArray().Select(e => e!.GetValue<string>())], d["secret"]!.GetValue<string>(),
        CosmosPlatform.Time(d["createdAt"]!.GetValue<string>()), d["createdBy"]!.GetValue<string>());

    private static WebhookDelivery ReadDelivery(JsonObject d) => new(
        d["id"]!.GetValue<string>(), d["subscriptionId"]!.GetValue<string>(), d["eventId"]!.GetValue<string>(), d["eventType"]!.GetValue<string>(),
        Names.TryParse<DeliveryStatus>(d["status"]!.GetValue<string>(), out var status) ? status : DeliveryStatus.Pending,
        d["attempts"]!.GetValue<int>(), CosmosPlatform.Time(d["createdAt"]!.GetValue<string>()), CosmosPlatform.Time(d["nextAttemptAt"]!.GetValue<string>()),
        d["lastAttemptAt"]?.GetValue<string>() is { } last ? CosmosPlatform.Time(last) : null,
        d["lastStatusCode"]?.GetValue<int>(), d["lastError"]?.GetValue<string>(),
        d["deliveredAt"]?.GetValue<string>() is { } delivered ? CosmosPlatform.Time(delivered) : null);
}
