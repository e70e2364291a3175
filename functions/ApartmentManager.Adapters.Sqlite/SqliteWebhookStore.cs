using System.Globalization;
using System.Text.Json;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Domain;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>Webhook subscriptions and deliveries in <c>requests.db</c>, beside the event log they fan out from.</summary>
public sealed class SqliteWebhookStore(SqliteDatabase database) : IWebhookStore
{
    private const string FanOutCursor = "webhook_fan_out";
    private const string DeliveryColumns =
        "id, subscription_id, event_id, event_type, status, attempts, created_at, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at";

    public Task CreateAsync(WebhookSubscription s, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO webhook_subscriptions (id, url, events, secret, created_at, created_by)
            VALUES ($id, $url, $events, $secret, $created, $by)
            """;
        insert.Parameters.AddWithValue("$id", s.Id);
        insert.Parameters.AddWithValue("$url", s.Url.ToString());
        insert.Parameters.AddWithValue("$events", JsonSerializer.Serialize(s.Events.ToArray(), SqliteJsonContext.Default.StringArray));
        insert.Parameters.AddWithValue("$secret", s.Secret);
        insert.Parameters.AddWithValue("$created", s.CreatedAt.UtcTicks);
        insert.Parameters.AddWithValue("$by", s.CreatedBy);
        insert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<WebhookSubscription>>(ReadSubscriptions(connection, null));
    }

    public Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        return Task.FromResult(ReadSubscriptions(connection, id).FirstOrDefault());
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction(deferred: false);
        using var delete = connection.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = """
            DELETE FROM webhook_deliveries WHERE subscription_id = $id AND status = 'pending';
            DELETE FROM webhook_subscriptions WHERE id = $id;
            SELECT changes();
            """;
        delete.Parameters.AddWithValue("$id", id);
        var removed = Convert.ToInt32(delete.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        tx.Commit();
        return Task.FromResult(removed);
    }

    public async Task<int> FanOutAsync(int max, DateTimeOffset now, Func<IReadOnlyList<DomainEvent>, CancellationToken, Task>? publish,
        CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction(deferred: false);
        long cursor;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT position FROM cursors WHERE name = $name";
            read.Parameters.AddWithValue("$name", FanOutCursor);
            cursor = read.ExecuteScalar() is long position ? position : 0;
        }
        var subscriptions = ReadSubscriptions(connection, null, tx);
        var events = new List<(long Position, string Payload, DomainEvent Event)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = "SELECT position, payload FROM events WHERE position > $after ORDER BY position LIMIT $max";
            select.Parameters.AddWithValue("$after", cursor);
            select.Parameters.AddWithValue("$max", max);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var payload = reader.GetString(1);
                events.Add((reader.GetInt64(0), payload, EventJsonContext.Deserialize(payload)));
            }
        }
        if (events.Count == 0)
        {
            return 0;
        }
        if (publish is not null)
        {
            // Before the cursor moves: a failure here leaves the events to be taken (and published) again.
            await publish([.. events.Select(e => e.Event)], cancellationToken);
        }
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, resident_id, payload, status, attempts, created_at, next_attempt_at)
                VALUES ($id, $subscription, $event, $type, $resident, $payload, 'pending', 0, $now, $now)
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                """;
            foreach (var (_, payload, e) in events)
            {
                foreach (var s in subscriptions.Where(s => RequestEvents.Matches(s.Events, e.Type)))
                {
                    insert.Parameters.Clear();
                    insert.Parameters.AddWithValue("$id", "dlv_" + Guid.NewGuid().ToString("N"));
                    insert.Parameters.AddWithValue("$subscription", s.Id);
                    insert.Parameters.AddWithValue("$event", e.Id);
                    insert.Parameters.AddWithValue("$type", e.Type);
                    insert.Parameters.AddWithValue("$resident", e.ResidentId);
                    insert.Parameters.AddWithValue("$payload", payload);
                    insert.Parameters.AddWithValue("$now", now.UtcTicks);
                    insert.ExecuteNonQuery();
                }
            }
        }
        using (var advance = connection.CreateCommand())
        {
            advance.Transaction = tx;
            advance.CommandText = "INSERT INTO cursors (name, position) VALUES ($name, $position) ON CONFLICT (name) DO UPDATE SET position = $position";
            advance.Parameters.AddWithValue("$name", FanOutCursor);
            advance.Parameters.AddWithValue("$position", events[^1].Position);
            advance.ExecuteNonQuery();
        }
        tx.Commit();
        return events.Count;
    }

    public Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT {Prefixed("d.")}, s.url, s.secret, d.payload FROM webhook_deliveries d
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $now
            ORDER BY d.next_attempt_at, d.seq LIMIT $max
            """;
        select.Parameters.AddWithValue("$now", now.UtcTicks);
        select.Parameters.AddWithValue("$max", max);
        var due = new List<DueDelivery>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            due.Add(new DueDelivery(ReadDelivery(reader), new Uri(reader.GetString(12)), reader.GetString(13), reader.GetString(14)));
        }
        return Task.FromResult<IReadOnlyList<DueDelivery>>(due);
    }

    public Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE webhook_deliveries SET attempts = attempts + 1, status = $status, last_attempt_at = $at, last_status_code = $code,
                last_error = $error, next_attempt_at = COALESCE($next, next_attempt_at), delivered_at = $delivered
            WHERE id = $id AND status = 'pending'
            """;
        update.Parameters.AddWithValue("$id", deliveryId);
        update.Parameters.AddWithValue("$status", attempt.Succeeded ? Names.Of(DeliveryStatus.Succeeded)
            : attempt.NextAttemptAt is null ? Names.Of(DeliveryStatus.DeadLettered) : Names.Of(DeliveryStatus.Pending));
        update.Parameters.AddWithValue("$at", attempt.At.UtcTicks);
        update.Parameters.AddWithValue("$code", (object?)attempt.StatusCode ?? DBNull.Value);
        update.Parameters.AddWithValue("$error", (object?)attempt.Error ?? DBNull.Value);
        update.Parameters.AddWithValue("$next", (object?)attempt.NextAttemptAt?.UtcTicks ?? DBNull.Value);
        update.Parameters.AddWithValue("$delivered", attempt.Succeeded ? attempt.At.UtcTicks : DBNull.Value);
        update.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<Page<WebhookDelivery>> DeliveriesAsync(string subscriptionId, DeliveryStatus? status, int limit, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        long? before = null;
        if (continuationToken is not null)
        {
            before = long.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
                ? seq
                : throw new InvalidContinuationTokenException("not a delivery position");
        }
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT {Prefixed("")}, seq FROM webhook_deliveries
            WHERE subscription_id = $subscription {(status is null ? "" : "AND status = $status")} {(before is null ? "" : "AND seq < $before")}
            ORDER BY seq DESC LIMIT $limit
            """;
        select.Parameters.AddWithValue("$subscription", subscriptionId);
        select.Parameters.AddWithValue("$status", status is { } s ? Names.Of(s) : DBNull.Value);
        select.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
        select.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<(WebhookDelivery Delivery, long Seq)>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add((ReadDelivery(reader), reader.GetInt64(12)));
            }
        }
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = items[^1].Seq.ToString(CultureInfo.InvariantCulture);
        }
        return Task.FromResult(new Page<WebhookDelivery>([.. items.Select(i => i.Delivery)], next));
    }

    public Task<WebhookDelivery?> RedeliverAsync(string subscriptionId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = $"""
            UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $now, delivered_at = NULL
            WHERE id = $id AND subscription_id = $subscription
            RETURNING {DeliveryColumns}
            """;
        update.Parameters.AddWithValue("$id", deliveryId);
        update.Parameters.AddWithValue("$subscription", subscriptionId);
        update.Parameters.AddWithValue("$now", now.UtcTicks);
        using var reader = update.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadDelivery(reader) : null);
    }

    private static string Prefixed(string prefix) => string.Join(", ", DeliveryColumns.Split(", ").Select(c => prefix + c));

    private static List<WebhookSubscription> ReadSubscriptions(SqliteConnection connection, string? id, SqliteTransaction? tx = null)
    {
        using var select = connection.CreateCommand();
        select.Transaction = tx;
        select.CommandText = "SELECT id, url, events, secret, created_at, created_by FROM webhook_subscriptions"
            + (id is null ? "" : " WHERE id = $id") + " ORDER BY created_at, id";
        select.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        var found = new List<WebhookSubscription>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            found.Add(new WebhookSubscription(reader.GetString(0), new Uri(reader.GetString(1)),
                JsonSerializer.Deserialize(reader.GetString(2), SqliteJsonContext.Default.StringArray) ?? [],
                reader.GetString(3), Time(reader.GetInt64(4)), reader.GetString(5)));
        }
        return found;
    }

    private static WebhookDelivery ReadDelivery(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        Names.TryParse<DeliveryStatus>(r.GetString(4), out var status) ? status : throw new InvalidDataException($"Unknown delivery status '{r.GetString(4)}'."),
        r.GetInt32(5), Time(r.GetInt64(6)), Time(r.GetInt64(7)),
        r.IsDBNull(8) ? null : Time(r.GetInt64(8)),
        r.IsDBNull(9) ? null : r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : Time(r.GetInt64(11)));

    internal static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
