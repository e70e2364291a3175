using System.Text.Json;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Paging;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Serialization;
using ApartmentManager.Domain;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// Requests in SQLite: the whole request is one JSON document (as in Cosmos DB), with the columns that filters and
/// ordering need copied beside it. Every write is one transaction that changes the row and appends the events of the
/// history entries it added to the <c>events</c> table (the outbox); the ETag guard is part of the UPDATE's WHERE
/// clause, so two writers holding the same ETag cannot both win. A write made inside a step of the embedded workflow
/// engine also carries the engine's pending checkpoint and progress (see <see cref="SqliteWriteEnlistment"/>): the
/// engine's tables live in this file too.
/// </summary>
public sealed class SqliteRequestStore(SqliteDatabase database) : IRequestStore
{
    /// <summary>
    /// The latest version of recently read or written requests, by id: a pipeline step reads the request the step before
    /// it just wrote. A read checks the stored ETag (one column, ahead of the document in the row, so none of the
    /// document's overflow pages are read) and uses the kept version when it still matches, instead of reading and
    /// parsing the 8–10 KB document again; a write whose If-Match is the kept ETag knows how many history entries were
    /// published without reading the row first. Anything that changes a row changes its ETag (the eraser too).
    /// </summary>
    private readonly RecentVersions _recent = new();

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE requests (
            id          TEXT PRIMARY KEY,
            resident_id TEXT NOT NULL,
            building    TEXT NOT NULL,
            unit        TEXT NOT NULL,
            status      TEXT NOT NULL,
            category    TEXT NULL,
            urgency     TEXT NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            etag        TEXT NOT NULL,
            doc         TEXT NOT NULL
        );
        CREATE INDEX ix_requests_created ON requests (created_at DESC, id DESC);
        CREATE INDEX ix_requests_resident ON requests (resident_id, created_at DESC, id DESC);
        CREATE INDEX ix_requests_status ON requests (status, created_at DESC, id DESC);
        CREATE INDEX ix_requests_unit ON requests (building, unit, created_at DESC)
        """,
        // The outbox / embedded topic: one row per history entry, written in the transaction that appends the entry.
        // history_count says how many entries already have their event (existing rows: all of them, none invented).
        // Webhook subscriptions, their deliveries and the fan-out cursor live here too, so fan-out is one transaction.
        """
        ALTER TABLE requests ADD COLUMN history_count INTEGER NOT NULL DEFAULT 0;
        UPDATE requests SET history_count = json_array_length(doc, '$.history');
        CREATE TABLE events (
            position    INTEGER PRIMARY KEY AUTOINCREMENT,
            id          TEXT NOT NULL UNIQUE,
            type        TEXT NOT NULL,
            request_id  TEXT NOT NULL,
            resident_id TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            payload     TEXT NOT NULL
        );
        CREATE INDEX ix_events_resident ON events (resident_id, position);
        CREATE TABLE cursors (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
        CREATE TABLE webhook_subscriptions (
            id         TEXT PRIMARY KEY,
            url        TEXT NOT NULL,
            events     TEXT NOT NULL,
            secret     TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            seq              INTEGER PRIMARY KEY AUTOINCREMENT,
            id               TEXT NOT NULL UNIQUE,
            subscription_id  TEXT NOT NULL,
            event_id         TEXT NOT NULL,
            event_type       TEXT NOT NULL,
            resident_id      TEXT NOT NULL,
            payload          TEXT NOT NULL,
            status           TEXT NOT NULL,
            attempts         INTEGER NOT NULL,
            created_at       INTEGER NOT NULL,
            next_attempt_at  INTEGER NOT NULL,
            last_attempt_at  INTEGER NULL,
            last_status_code INTEGER NULL,
            last_error       TEXT NULL,
            delivered_at     INTEGER NULL,
            UNIQUE (subscription_id, event_id)
        );
        CREATE INDEX ix_deliveries_due ON webhook_deliveries (status, next_attempt_at);
        CREATE INDEX ix_deliveries_subscription ON webhook_deliveries (subscription_id, seq DESC);
        CREATE INDEX ix_deliveries_resident ON webhook_deliveries (resident_id);
        CREATE TABLE audit (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            at             INTEGER NOT NULL,
            actor          TEXT NOT NULL,
            action         TEXT NOT NULL,
            target_type    TEXT NOT NULL,
            target_id      TEXT NOT NULL,
            before         TEXT NULL,
            after          TEXT NULL,
            correlation_id TEXT NULL
        );
        CREATE INDEX ix_audit_action ON audit (action, seq DESC);
        CREATE INDEX ix_audit_actor ON audit (actor, seq DESC);
        CREATE INDEX ix_audit_target ON audit (target_type, target_id, seq DESC);
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
        """,
        // The outcome fields the list filters read (copies of RequestOutcome, written with every change). Existing rows
        // are filled from the outcome in their document (resolved times to the tick as far as julianday resolves them).
        """
        ALTER TABLE requests ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN rating INTEGER NULL;
        ALTER TABLE requests ADD COLUMN resolved_at INTEGER NULL;
        ALTER TABLE requests ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;
        UPDATE requests SET
            escalated = coalesce(json_extract(doc, '$.outcome.escalated'), 0),
            reopen_count = coalesce(json_extract(doc, '$.outcome.reopenCount'), 0),
            rating = json_extract(doc, '$.outcome.rating'),
            resolved_at = CAST(round((julianday(json_extract(doc, '$.outcome.resolvedAt')) - julianday('0001-01-01T00:00:00Z')) * 864000000000.0) AS INTEGER),
            unconfirmed = coalesce(json_extract(doc, '$.outcome.unconfirmed'), 0);
        CREATE INDEX ix_requests_resolved ON requests (resolved_at DESC)
        """,
        // The selected option, indexed per resident: the goodwill history reads a resident's credits without reading
        // (and parsing) every request the resident filed in the window.
        """
        ALTER TABLE requests ADD COLUMN selected_option TEXT GENERATED ALWAYS AS (json_extract(doc, '$.selectedOptionId')) VIRTUAL;
        CREATE INDEX ix_requests_resident_selected ON requests (resident_id, selected_option, created_at DESC, id DESC)
        """,
        // The selected option written with every change like the other copied columns, no longer computed from the
        // document: a computed column made SQLite parse the whole JSON document twice on every write to keep its index.
        """
        DROP INDEX ix_requests_resident_selected;
        ALTER TABLE requests DROP COLUMN selected_option;
        ALTER TABLE requests ADD COLUMN selected_option TEXT NULL;
        UPDATE requests SET selected_option = json_extract(doc, '$.selectedOptionId');
        CREATE INDEX ix_requests_resident_selected ON requests (resident_id, selected_option, created_at DESC, id DESC)
        """,
    ];

    public Task<Versioned<ResidentRequest>> CreateAsync(ResidentRequest request, CancellationToken cancellationToken = default)
    {
        var etag = NewETag();
        // The document and the events are serialised before the connection is taken: it is lent to one caller at a time.
        var doc = Serialize(request);
        var events = SqliteEventLog.Prepare(RequestEvents.Since(request, 0));
        using var session = database.Session();
        using var tx = session.BeginTransaction();
        var insert = session.Command("""
            INSERT INTO requests (id, resident_id, building, unit, status, category, urgency, created_at, updated_at, etag, doc, history_count,
                escalated, reopen_count, rating, resolved_at, unconfirmed, selected_option)
            VALUES ($id, $resident, $building, $unit, $status, $category, $urgency, $created, $updated, $etag, $doc, $historyCount,
                $escalated, $reopenCount, $rating, $resolvedAt, $unconfirmed, $selected)
            """, tx);
        Bind(insert, request, etag, doc);
        try
        {
            insert.ExecuteNonQuery();
            SqliteEventLog.Append(session, tx, events);
            SqliteWriteEnlistment.Commit(database, session, tx);
        }
        catch (SqliteException e) when (SqliteDatabase.IsConstraintViolation(e))
        {
            tx.Rollback();
            var existing = Read(session, request.Id) ?? throw new InvalidOperationException($"Request '{request.Id}' collided but cannot be read.", e);
            throw new DuplicateRequestException(existing);
        }
        return Task.FromResult(new Versioned<ResidentRequest>(request, etag));
    }

    public Task<Versioned<ResidentRequest>?> GetAsync(string id, string? residentId = null, CancellationToken cancellationToken = default)
    {
        Versioned<ResidentRequest>? found;
        (string ETag, string Doc)? row = null;
        using (var session = database.Session())
        {
            found = _recent.TryGet(id) is { } kept && StoredETag(session, id) == kept.ETag ? kept : null;
            if (found is null)
            {
                row = ReadRow(session, id);
            }
        }
        if (row is { } stored)
        {
            found = new Versioned<ResidentRequest>(Deserialize(stored.Doc), stored.ETag); // parsed after the connection is given back
        }
        if (found is { } latest)
        {
            _recent.Keep(latest);
        }
        if (found is not null && residentId is not null && found.Value.ResidentId != residentId)
        {
            found = null; // not in that resident's partition
        }
        return Task.FromResult(found);
    }

    public Task<Versioned<ResidentRequest>> ReplaceAsync(ResidentRequest request, string ifMatch, CancellationToken cancellationToken = default)
    {
        var etag = NewETag();
        var doc = Serialize(request);
        var kept = _recent.TryGet(request.Id) is { } recent && recent.ETag == ifMatch && recent.Value.ResidentId == request.ResidentId ? recent : null;
        // The version the caller read is the one kept: its history is what the row has published, so the events of this
        // write are known (and serialised) before the connection is taken. The UPDATE's WHERE clause still checks the ETag.
        var events = kept is null ? null : SqliteEventLog.Prepare(RequestEvents.Since(request, kept.Value.History.Count));
        using var session = database.Session();
        // IMMEDIATE: the write lock is taken before reading history_count, so the read and the update see one version.
        using var tx = session.BeginTransaction(deferred: false);
        if (events is null)
        {
            var read = session.Command("SELECT history_count FROM requests WHERE id = $id AND resident_id = $resident AND etag = $ifMatch", tx);
            read.Parameters.AddWithValue("$id", request.Id);
            read.Parameters.AddWithValue("$resident", request.ResidentId);
            read.Parameters.AddWithValue("$ifMatch", ifMatch);
            var published = read.ExecuteScalar() is { } count and not DBNull
                ? Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture)
                : throw new ConcurrencyConflictException(request.Id);
            events = SqliteEventLog.Prepare(RequestEvents.Since(request, published));
        }
        var update = session.Command("""
            UPDATE requests SET building = $building, unit = $unit, status = $status, category = $category, urgency = $urgency,
                updated_at = $updated, etag = $etag, doc = $doc, history_count = $historyCount,
                escalated = $escalated, reopen_count = $reopenCount, rating = $rating, resolved_at = $resolvedAt, unconfirmed = $unconfirmed,
                selected_option = $selected
            WHERE id = $id AND resident_id = $resident AND etag = $ifMatch
            """, tx);
        Bind(update, request, etag, doc);
        update.Parameters.AddWithValue("$ifMatch", ifMatch);
        if (update.ExecuteNonQuery() == 0)
        {
            _recent.Forget(request.Id);
            throw new ConcurrencyConflictException(request.Id);
        }
        // The events of the history entries this write appends, in the same transaction (the outbox).
        SqliteEventLog.Append(session, tx, events);
        // With what a workflow run has enlisted for this flow (the engine's checkpoint and progress of the step before):
        // one commit for the step's effect and the engine's record, durable together or not at all.
        SqliteWriteEnlistment.Commit(database, session, tx);
        var saved = new Versioned<ResidentRequest>(request, etag);
        _recent.Keep(saved);
        return Task.FromResult(saved);
    }

    public Task<Page<ResidentRequest>> QueryAsync(RequestQuery query, CancellationToken cancellationToken = default)
    {
        var after = KeysetToken.Decode(query);
        var where = new List<string>();
        var parameters = new List<(string Name, object Value)>();
        void Filter(string clause, string name, object? value)
        {
            if (value is null)
            {
                return;
            }
            where.Add(clause);
            parameters.Add((name, value));
        }
        Filter("resident_id = $resident", "$resident", query.ResidentId);
        Filter("status = $status", "$status", query.Status is { } s ? Names.Of(s) : null);
        Filter("category = $category", "$category", query.Category is { } c ? Names.Of(c) : null);
        Filter("urgency = $urgency", "$urgency", query.Urgency is { } u ? Names.Of(u) : null);
        Filter("building = $building", "$building", query.Building);
        Filter("unit = $unit", "$unit", query.Unit);
        Filter("created_at >= $from", "$from", query.CreatedFrom?.UtcTicks);
        Filter("created_at <= $to", "$to", query.CreatedTo?.UtcTicks);
        Filter("escalated = $escalated", "$escalated", query.Escalated is { } e ? (e ? 1 : 0) : null);
        Filter(query.Reopened == true ? "reopen_count > 0" : "reopen_count = 0", "$reopened", query.Reopened);
        Filter("rating >= $minRating", "$minRating", query.MinRating);
        Filter("rating <= $maxRating", "$maxRating", query.MaxRating);
        Filter("resolved_at >= $resolvedFrom", "$resolvedFrom", query.ResolvedFrom?.UtcTicks);
        Filter("resolved_at <= $resolvedTo", "$resolvedTo", query.ResolvedTo?.UtcTicks);
        Filter("unconfirmed = $unconfirmed", "$unconfirmed", query.Unconfirmed is { } u2 ? (u2 ? 1 : 0) : null);
        Filter("selected_option = $selected", "$selected", query.SelectedOptionId);
        if (after is { } position)
        {
            where.Add("(created_at < $afterTicks OR (created_at = $afterTicks AND id < $afterId))");
            parameters.Add(("$afterTicks", position.CreatedTicks));
            parameters.Add(("$afterId", position.Id));
        }
        var docs = new List<string>(query.Limit + 1);
        // The documents are parsed after the connection is given back.
        using (var session = database.Session())
        {
            // The filters' shapes are few: each shape is one statement the session compiles once.
            var select = session.Command($"""
                SELECT etag, doc FROM requests
                {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY created_at DESC, id DESC
                LIMIT $limit
                """);
            foreach (var (name, value) in parameters)
            {
                select.Parameters.AddWithValue(name, value);
            }
            // One extra row tells whether another page exists without a second query.
            select.Parameters.AddWithValue("$limit", query.Limit + 1);

            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    docs.Add(reader.GetString(1));
                }
            }
        }
        var items = docs.ConvertAll(Deserialize);
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = new KeysetToken(last.CreatedAt.UtcTicks, last.Id).Encode(query);
        }
        return Task.FromResult(new Page<ResidentRequest>(items, next));
    }

    public Task<int> CountForUnitAsync(string building, string unit, DateTimeOffset since, Category? category = null, CancellationToken cancellationToken = default)
    {
        using var session = database.Session();
        var count = session.Command(category is null
            ? "SELECT COUNT(*) FROM requests WHERE building = $building AND unit = $unit AND created_at >= $since"
            : "SELECT COUNT(*) FROM requests WHERE building = $building AND unit = $unit AND created_at >= $since AND category = $category");
        count.Parameters.AddWithValue("$category", category is { } c ? Names.Of(c) : DBNull.Value);
        count.Parameters.AddWithValue("$building", building);
        count.Parameters.AddWithValue("$unit", unit);
        count.Parameters.AddWithValue("$since", since.UtcTicks);
        return Task.FromResult(Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.Open();
            using var ping = connection.CreateCommand();
            ping.CommandText = "SELECT COUNT(*) FROM requests WHERE 0";
            ping.ExecuteScalar();
            return Task.FromResult(true);
        }
        catch (SqliteException)
        {
            return Task.FromResult(false);
        }
    }

    private static string? StoredETag(SqliteSession session, string id)
    {
        var select = session.Command("SELECT etag FROM requests WHERE id = $id");
        select.Parameters.AddWithValue("$id", id);
        return select.ExecuteScalar() as string;
    }

    private static (string ETag, string Doc)? ReadRow(SqliteSession session, string id)
    {
        var select = session.Command("SELECT etag, doc FROM requests WHERE id = $id");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    private static Versioned<ResidentRequest>? Read(SqliteSession session, string id)
    {
        var select = session.Command("SELECT etag, doc FROM requests WHERE id = $id");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        return reader.Read() ? new Versioned<ResidentRequest>(Deserialize(reader.GetString(1)), reader.GetString(0)) : null;
    }

    private static void Bind(SqliteCommand command, ResidentRequest r, string etag, string doc)
    {
        command.Parameters.AddWithValue("$id", r.Id);
        command.Parameters.AddWithValue("$resident", r.ResidentId);
        command.Parameters.AddWithValue("$building", r.Building);
        command.Parameters.AddWithValue("$unit", r.Unit);
        command.Parameters.AddWithValue("$status", Names.Of(r.Status));
        command.Parameters.AddWithValue("$category", r.Classification is { } c ? Names.Of(c.Category) : DBNull.Value);
        command.Parameters.AddWithValue("$urgency", r.Classification is { } u ? Names.Of(u.Urgency) : DBNull.Value);
        command.Parameters.AddWithValue("$created", r.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$updated", r.UpdatedAt.UtcTicks);
        command.Parameters.AddWithValue("$etag", etag);
        command.Parameters.AddWithValue("$doc", doc);
        command.Parameters.AddWithValue("$historyCount", r.History.Count);
        var outcome = r.Outcome;
        command.Parameters.AddWithValue("$escalated", outcome.Escalated ? 1 : 0);
        command.Parameters.AddWithValue("$reopenCount", outcome.ReopenCount);
        command.Parameters.AddWithValue("$rating", outcome.Rating is { } rating ? rating : DBNull.Value);
        command.Parameters.AddWithValue("$resolvedAt", outcome.ResolvedAt is { } resolved ? resolved.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$unconfirmed", outcome.Unconfirmed ? 1 : 0);
        command.Parameters.AddWithValue("$selected", (object?)r.SelectedOptionId ?? DBNull.Value);
    }

    private static string Serialize(ResidentRequest r) => JsonSerializer.Serialize(r, StoreJsonContext.Default.ResidentRequest);

    private static ResidentRequest Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.ResidentRequest)
        ?? throw new InvalidDataException("A stored request document is empty.");

    /// <summary>Quoted, like an HTTP entity tag (and like Cosmos DB's _etag).</summary>
    private static string NewETag() => $"\"{Guid.NewGuid():N}\"";
}
