using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Observability;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Workflow.Embedded.Queues;

/// <summary>A message leased to a consumer until it completes, fails, or its lease runs out.</summary>
internal sealed record LeasedMessage(long Id, string Queue, string MessageId, string Body, int Attempts, string? TraceParent = null);

/// <summary>
/// Queues in SQLite. A receive leases the oldest ready message (its visibility moves into the future), so a consumer
/// that dies mid-message leaves it to reappear after the lease: at-least-once. After <c>maxAttempts</c> deliveries a
/// failing message is dead-lettered instead of retried.
/// </summary>
public sealed class SqliteMessageQueue(SqliteDatabase database, TimeProvider clock, int maxAttempts = 5) : IMessageQueue
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE queue_messages (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            queue           TEXT NOT NULL,
            message_id      TEXT NOT NULL,
            body            TEXT NOT NULL,
            state           TEXT NOT NULL,      -- ready | completed | dead
            attempts        INTEGER NOT NULL DEFAULT 0,
            visible_at      INTEGER NOT NULL,
            enqueued_at     INTEGER NOT NULL,
            dead_at         INTEGER NULL,
            last_error      TEXT NULL,
            UNIQUE (queue, message_id)
        );
        CREATE INDEX ix_queue_ready ON queue_messages (queue, state, visible_at)
        """,
        // W3C trace context of the producer: the consumer's span continues its trace (as Service Bus's Diagnostic-Id does).
        "ALTER TABLE queue_messages ADD COLUMN trace_parent TEXT NULL",
    ];

    public int MaxAttempts => maxAttempts;

    public Task<bool> EnqueueAsync(string queue, string messageId, string body, CancellationToken cancellationToken = default)
    {
        using var send = QueueTelemetry.StartSend(queue, messageId);
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT OR IGNORE INTO queue_messages (queue, message_id, body, state, visible_at, enqueued_at, trace_parent)
            VALUES ($queue, $id, $body, 'ready', $now, $now, $trace)
            """;
        insert.Parameters.AddWithValue("$trace", (object?)TraceContext.Current() ?? DBNull.Value);
        insert.Parameters.AddWithValue("$queue", queue);
        insert.Parameters.AddWithValue("$id", messageId);
        insert.Parameters.AddWithValue("$body", body);
        insert.Parameters.AddWithValue("$now", Now());
        return Task.FromResult(insert.ExecuteNonQuery() == 1);
    }

    /// <summary>Leases the oldest visible message of <paramref name="queue"/> for <paramref name="lease"/>, counting the delivery.</summary>
    internal LeasedMessage? Receive(string queue, TimeSpan lease)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction(deferred: false);
        using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = """
            UPDATE queue_messages SET attempts = attempts + 1, visible_at = $until
            WHERE id = (SELECT id FROM queue_messages WHERE queue = $queue AND state = 'ready' AND visible_at <= $now ORDER BY id LIMIT 1)
            RETURNING id, message_id, body, attempts, trace_parent
            """;
        update.Parameters.AddWithValue("$queue", queue);
        update.Parameters.AddWithValue("$now", Now());
        update.Parameters.AddWithValue("$until", Now() + lease.Ticks);
        LeasedMessage? leased = null;
        using (var reader = update.ExecuteReader())
        {
            if (reader.Read())
            {
                leased = new LeasedMessage(reader.GetInt64(0), queue, reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4));
            }
        }
        tx.Commit();
        return leased;
    }

    internal void Complete(LeasedMessage message) => Execute("UPDATE queue_messages SET state = 'completed', last_error = NULL WHERE id = $id", message.Id);

    /// <summary>A failed delivery: visible again after <paramref name="retryAfter"/>, or dead-lettered when out of attempts.</summary>
    internal bool Fail(LeasedMessage message, string error, TimeSpan retryAfter)
    {
        var dead = message.Attempts >= maxAttempts;
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = dead
            ? "UPDATE queue_messages SET state = 'dead', dead_at = $now, last_error = $error WHERE id = $id"
            : "UPDATE queue_messages SET visible_at = $retry, last_error = $error WHERE id = $id";
        update.Parameters.AddWithValue("$id", message.Id);
        update.Parameters.AddWithValue("$now", Now());
        update.Parameters.AddWithValue("$retry", Now() + retryAfter.Ticks);
        update.Parameters.AddWithValue("$error", error.Length > 2000 ? error[..2000] : error);
        update.ExecuteNonQuery();
        return dead;
    }

    public Task<IReadOnlyList<QueueDepth>> DepthsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT queue,
                   SUM(state = 'ready' AND visible_at <= $now), SUM(state = 'ready' AND visible_at > $now),
                   SUM(state = 'dead'), SUM(state = 'completed')
            FROM queue_messages GROUP BY queue ORDER BY queue
            """;
        select.Parameters.AddWithValue("$now", Now());
        using var reader = select.ExecuteReader();
        var depths = new List<QueueDepth>();
        while (reader.Read())
        {
            depths.Add(new QueueDepth(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }
        return Task.FromResult<IReadOnlyList<QueueDepth>>(depths);
    }

    public Task<IReadOnlyList<QueuedMessage>> DeadLettersAsync(string queue, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT message_id, body, attempts, last_error, enqueued_at, dead_at FROM queue_messages
            WHERE queue = $queue AND state = 'dead' ORDER BY id LIMIT $limit
            """;
        select.Parameters.AddWithValue("$queue", queue);
        select.Parameters.AddWithValue("$limit", limit);
        using var reader = select.ExecuteReader();
        var list = new List<QueuedMessage>();
        while (reader.Read())
        {
            list.Add(new QueuedMessage(queue, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), "dead",
                reader.IsDBNull(3) ? null : reader.GetString(3), new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero)));
        }
        return Task.FromResult<IReadOnlyList<QueuedMessage>>(list);
    }

    public Task<int> RedriveAsync(string queue, string? messageId, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE queue_messages SET state = 'ready', attempts = 0, visible_at = $now, dead_at = NULL
            WHERE queue = $queue AND state = 'dead' AND ($id IS NULL OR message_id = $id)
            """;
        update.Parameters.AddWithValue("$queue", queue);
        update.Parameters.AddWithValue("$id", (object?)messageId ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", Now());
        return Task.FromResult(update.ExecuteNonQuery());
    }

    private void Execute(string sql, long id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private long Now() => clock.GetUtcNow().UtcTicks;
}
