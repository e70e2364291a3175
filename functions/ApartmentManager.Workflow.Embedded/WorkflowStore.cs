using ApartmentManager.Adapters.Sqlite;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Workflow.Embedded;

/// <summary>One recorded fact of an instance's history: a step result, a started wait, or how a wait ended.</summary>
internal sealed record Checkpoint(int Sequence, string Kind, string Name, string? Payload, long RecordedTicks);

/// <summary>
/// What a run has recorded and not yet written: checkpoints of finished steps and the latest progress. Written together:
/// when the step wrote the request, in the transaction of the next step's first write of the request (the engine's
/// tables share the request store's file, so the next step's effect and the record of the step before it commit
/// together — one commit per step, and never an effect without the record of what led to it); otherwise in their own
/// transaction right before the next step starts; or with the wait or the final status. A process killed before that
/// write loses only what replay recomputes: the step runs again and, being idempotent, finds its work done and answers
/// from the request it wrote.
/// </summary>
internal sealed class PendingWrites
{
    public List<Checkpoint> Checkpoints { get; } = [];
    public string? Progress { get; set; }
    public bool IsEmpty => Checkpoints.Count == 0 && Progress is null;

    public void Clear()
    {
        Checkpoints.Clear();
        Progress = null;
    }
}

/// <summary>State of an instance as the workflow endpoint shows it.</summary>
public sealed record WorkflowInstanceState(
    string InstanceId,
    string Status,
    string? Progress,
    string? Result,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? WakeAt);

/// <summary>
/// SQLite tables of the embedded engine: instances, their checkpoints (append-only, keyed by sequence number so a
/// replayed call finds its own result), and signals (external events, consumed exactly once by a wait). They live in
/// the request store's file (<c>requests.db</c>), so a step's write of the request carries the engine's checkpoint and
/// progress of the step before it in one transaction (<see cref="Defer"/>); older versions kept them in
/// <c>workflow.db</c>, imported once by <see cref="Open"/>.
/// </summary>
internal sealed class WorkflowStore(SqliteDatabase database, TimeProvider clock)
{
    /// <summary>The file the engine's tables lived in before they moved into <c>requests.db</c>.</summary>
    public const string LegacyFileName = "workflow.db";

    /// <summary>The database the tables live in.</summary>
    public SqliteDatabase Database => database;

    /// <summary>
    /// The engine's tables in <paramref name="database"/> (migrated as the component <c>workflow</c>), with whatever a
    /// data directory of an older version kept in <paramref name="legacyPath"/> imported first.
    /// </summary>
    public static WorkflowStore Open(SqliteDatabase database, string legacyPath, TimeProvider clock)
    {
        database.Migrate("workflow", Migrations);
        ImportLegacy(database, legacyPath);
        return new WorkflowStore(database, clock);
    }

    /// <summary>
    /// Copies the instances, checkpoints and signals of an old <c>workflow.db</c> in one transaction, then deletes the
    /// old file. Rows already present win (INSERT OR IGNORE): a process killed after the copy's commit and before the
    /// delete copies again on its next start and changes nothing, even if instances moved on in between.
    /// </summary>
    private static void ImportLegacy(SqliteDatabase database, string legacyPath)
    {
        if (!File.Exists(legacyPath))
        {
            return;
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = database.Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false, // closed for good on dispose, so the old file can be deleted
            DefaultTimeout = 30,
        }.ToString();
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            Run(connection, null, "PRAGMA busy_timeout = 30000");
            Run(connection, null, "ATTACH DATABASE $path AS legacy", ("$path", legacyPath));
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                using var tables = connection.CreateCommand();
                tables.Transaction = tx;
                tables.CommandText = "SELECT COUNT(*) FROM legacy.sqlite_master WHERE type = 'table' AND name IN ('wf_instances', 'wf_checkpoints', 'wf_signals')";
                if (Convert.ToInt32(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 3)
                {
                    using var columns = connection.CreateCommand();
                    columns.Transaction = tx;
                    columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('wf_instances', 'legacy') WHERE name = 'trace_parent'";
                    var trace = Convert.ToInt32(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1 ? "trace_parent" : "NULL";
                    Run(connection, tx, $"""
                        INSERT OR IGNORE INTO main.wf_instances (id, status, progress, result, error, wake_at, created_at, updated_at, trace_parent)
                        SELECT id, status, progress, result, error, wake_at, created_at, updated_at, {trace} FROM legacy.wf_instances;
                        INSERT OR IGNORE INTO main.wf_checkpoints (instance_id, seq, kind, name, payload, recorded_at)
                        SELECT instance_id, seq, kind, name, payload, recorded_at FROM legacy.wf_checkpoints;
                        INSERT OR IGNORE INTO main.wf_signals (id, instance_id, name, payload, received_at, consumed_seq)
                        SELECT id, instance_id, name, payload, received_at, consumed_seq FROM legacy.wf_signals;
                        """);
                }
                tx.Commit();
            }
            Run(connection, null, "DETACH DATABASE legacy");
        }
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(legacyPath + suffix);
        }
    }

    private static void Run(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Hands <paramref name="pending"/> to the next write transaction on the shared file in this flow (the step's write of
    /// the request): written and cleared in that transaction. Whatever is still pending when the enlistment ends stays
    /// in <paramref name="pending"/> for the run to write.
    /// </summary>
    public SqliteWriteEnlistment Defer(string id, PendingWrites pending) =>
        SqliteWriteEnlistment.Begin(database, pending.IsEmpty ? null : (session, tx) => Write(session, tx, id, pending), pending.Clear);

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE wf_instances (
            id          TEXT PRIMARY KEY,
            status      TEXT NOT NULL,          -- pending | running | waiting | completed | failed
            progress    TEXT NULL,
            result      TEXT NULL,
            error       TEXT NULL,
            wake_at     INTEGER NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        CREATE INDEX ix_wf_runnable ON wf_instances (status, wake_at);
        CREATE TABLE wf_checkpoints (
            instance_id TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            kind        TEXT NOT NULL,          -- step | wait | signal
            name        TEXT NOT NULL,
            payload     TEXT NULL,
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (instance_id, seq, kind)
        );
        CREATE TABLE wf_signals (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            name         TEXT NOT NULL,
            payload      TEXT NULL,
            received_at  INTEGER NOT NULL,
            consumed_seq INTEGER NULL
        );
        CREATE INDEX ix_wf_signals ON wf_signals (instance_id, consumed_seq)
        """,
        // W3C trace context of whoever started the instance, so every run of it continues the same trace.
        "ALTER TABLE wf_instances ADD COLUMN trace_parent TEXT NULL",
    ];

    /// <summary>Creates the instance unless it exists (starting twice is a no-op). True if it was created.</summary>
    public bool TryCreate(string id, string? traceParent = null)
    {
        using var session = database.Session();
        var insert = session.Command("""
            INSERT OR IGNORE INTO wf_instances (id, status, created_at, updated_at, wake_at, trace_parent)
            VALUES ($id, 'pending', $now, $now, $now, $trace)
            """);
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$trace", (object?)traceParent ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", Now());
        return insert.ExecuteNonQuery() == 1;
    }

    public IReadOnlyList<Checkpoint> LoadCheckpoints(string id)
    {
        using var session = database.Session();
        var select = session.Command("SELECT seq, kind, name, payload, recorded_at FROM wf_checkpoints WHERE instance_id = $id ORDER BY seq, kind");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        var list = new List<Checkpoint>();
        while (reader.Read())
        {
            list.Add(new Checkpoint(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
        }
        return list;
    }

    /// <summary>
    /// Starts a run: marks the instance running unless it is finished, or waits for a time not yet come and
    /// <paramref name="rerun"/> is false (queued twice by a race with its previous run, nothing has woken it since).
    /// One statement; null when the instance is not to run, else the trace context it was started in (may be empty).
    /// </summary>
    public (bool Run, string? TraceParent) BeginRun(string id, bool rerun)
    {
        using var session = database.Session();
        var update = session.Command("""
            UPDATE wf_instances SET status = 'running', wake_at = NULL, error = NULL, updated_at = $now
            WHERE id = $id AND status NOT IN ('completed', 'failed')
              AND ($rerun = 1 OR status <> 'waiting' OR wake_at IS NULL OR wake_at <= $now)
            RETURNING trace_parent
            """);
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$rerun", rerun ? 1 : 0);
        update.Parameters.AddWithValue("$now", Now());
        using var reader = update.ExecuteReader();
        return reader.Read() ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : (false, null);
    }

    /// <summary>Writes what a run has recorded since its last write (checkpoints, the progress) in one transaction.</summary>
    public void Record(string id, PendingWrites pending)
    {
        if (pending.IsEmpty)
        {
            return;
        }
        using var session = database.Session();
        using var tx = session.BeginTransaction(deferred: false);
        Write(session, tx, id, pending);
        tx.Commit();
        pending.Clear();
    }

    /// <summary>
    /// Ends a wait: takes the oldest unconsumed signal with one of <paramref name="names"/>, or (when
    /// <paramref name="timedOut"/>) records the timeout. One transaction, so a signal is consumed by exactly one wait; it
    /// also carries the run's <paramref name="pending"/> writes (the wait's own checkpoint among them) and, when the wait
    /// goes on, parks the instance as waiting until <paramref name="wakeAt"/>.
    /// </summary>
    public (bool Resolved, string? Name, string? Payload) TryResolveWait(string id, int seq, IReadOnlyList<string> names, bool timedOut,
        PendingWrites pending, DateTimeOffset wakeAt)
    {
        using var session = database.Session();
        using var tx = session.BeginTransaction(deferred: false);
        Write(session, tx, id, pending);
        var find = session.Command(names.Count switch
        {
            1 => "SELECT id, name, payload FROM wf_signals WHERE instance_id = $id AND consumed_seq IS NULL AND name IN ($n0) ORDER BY id LIMIT 1",
            2 => "SELECT id, name, payload FROM wf_signals WHERE instance_id = $id AND consumed_seq IS NULL AND name IN ($n0,$n1) ORDER BY id LIMIT 1",
            _ => $"SELECT id, name, payload FROM wf_signals WHERE instance_id = $id AND consumed_seq IS NULL AND name IN ({NameParameters(names.Count)}) ORDER BY id LIMIT 1",
        }, tx);
        find.Parameters.AddWithValue("$id", id);
        for (var i = 0; i < names.Count; i++)
        {
            find.Parameters.AddWithValue(NameParameter(i), names[i]);
        }
        long? signalId = null;
        string? name = null, payload = null;
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                signalId = reader.GetInt64(0);
                name = reader.GetString(1);
                payload = reader.IsDBNull(2) ? null : reader.GetString(2);
            }
        }
        if (signalId is null && !timedOut)
        {
            var park = session.Command("UPDATE wf_instances SET status = 'waiting', wake_at = $wake, updated_at = $now WHERE id = $id", tx);
            park.Parameters.AddWithValue("$id", id);
            park.Parameters.AddWithValue("$wake", wakeAt.UtcTicks);
            park.Parameters.AddWithValue("$now", Now());
            park.ExecuteNonQuery();
            tx.Commit();
            pending.Clear();
            return (false, null, null);
        }
        if (signalId is not null)
        {
            var consume = session.Command("UPDATE wf_signals SET consumed_seq = $seq WHERE id = $sid", tx);
            consume.Parameters.AddWithValue("$seq", seq);
            consume.Parameters.AddWithValue("$sid", signalId);
            consume.ExecuteNonQuery();
        }
        Append(session, tx, id, new Checkpoint(seq, "signal", name ?? "timeout", payload, Now()));
        tx.Commit();
        pending.Clear();
        return (true, name, payload);
    }

    /// <summary>True when a signal with one of <paramref name="names"/> waits to be consumed by the instance.</summary>
    public bool HasSignal(string id, IReadOnlyList<string> names)
    {
        using var session = database.Session();
        var select = session.Command($"SELECT 1 FROM wf_signals WHERE instance_id = $id AND consumed_seq IS NULL AND name IN ({NameParameters(names.Count)}) LIMIT 1");
        select.Parameters.AddWithValue("$id", id);
        for (var i = 0; i < names.Count; i++)
        {
            select.Parameters.AddWithValue(NameParameter(i), names[i]);
        }
        return select.ExecuteScalar() is not null;
    }

    /// <summary>Records an external event and makes the instance runnable. False if there is no such instance.</summary>
    public bool AddSignal(string id, string name, string? payload)
    {
        using var session = database.Session();
        using var tx = session.BeginTransaction(deferred: false);
        var insert = session.Command("""
            INSERT INTO wf_signals (instance_id, name, payload, received_at)
            SELECT $id, $name, $payload, $now WHERE EXISTS (SELECT 1 FROM wf_instances WHERE id = $id);
            UPDATE wf_instances SET wake_at = $now, status = CASE status WHEN 'waiting' THEN 'pending' ELSE status END, updated_at = $now
            WHERE id = $id AND status IN ('waiting', 'pending', 'running');
            """, tx);
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", Now());
        var changed = insert.ExecuteNonQuery();
        tx.Commit();
        return changed > 0;
    }

    /// <summary>Sets the instance's status, with the run's <paramref name="pending"/> writes (if any) in the same transaction.</summary>
    public void SetStatus(string id, string status, DateTimeOffset? wakeAt = null, string? result = null, string? error = null, PendingWrites? pending = null)
    {
        using var session = database.Session();
        using var tx = session.BeginTransaction(deferred: false);
        if (pending is not null)
        {
            Write(session, tx, id, pending);
        }
        var update = session.Command("UPDATE wf_instances SET status = $status, wake_at = $wake, result = COALESCE($result, result), error = $error, updated_at = $now WHERE id = $id", tx);
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$status", status);
        update.Parameters.AddWithValue("$wake", (object?)wakeAt?.UtcTicks ?? DBNull.Value);
        update.Parameters.AddWithValue("$result", (object?)result ?? DBNull.Value);
        update.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", Now());
        update.ExecuteNonQuery();
        tx.Commit();
        pending?.Clear();
    }

    /// <summary>
    /// At start: instances a stopped process left 'running' become runnable again (they replay their checkpoints).
    /// Returns how many. Only one process owns a data directory, so none of them is really running.
    /// </summary>
    public int ResetRunning()
    {
        using var session = database.Session();
        return session.Command("UPDATE wf_instances SET status = 'pending' WHERE status = 'running'").ExecuteNonQuery();
    }

    /// <summary>Instances to run now: new, woken by a signal, timers due, or left 'running' by a process that died.</summary>
    public IReadOnlyList<string> Runnable(bool includeRunning, int max)
    {
        using var session = database.Session();
        var select = session.Command($"""
            SELECT id FROM wf_instances
            WHERE (status = 'pending' OR (status = 'waiting' AND wake_at <= $now){(includeRunning ? " OR status = 'running'" : "")})
            ORDER BY wake_at LIMIT $max
            """);
        select.Parameters.AddWithValue("$now", Now());
        select.Parameters.AddWithValue("$max", max);
        using var reader = select.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public WorkflowInstanceState? Get(string id)
    {
        using var session = database.Session();
        var select = session.Command("SELECT status, progress, result, error, created_at, updated_at, wake_at FROM wf_instances WHERE id = $id");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return new WorkflowInstanceState(id, reader.GetString(0), Text(reader, 1), Text(reader, 2), Text(reader, 3),
            new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
            reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero));
    }

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static string NameParameter(int i) => i switch { 0 => "$n0", 1 => "$n1", 2 => "$n2", _ => $"$n{i}" };

    private static string NameParameters(int count) => string.Join(",", Enumerable.Range(0, count).Select(NameParameter));

    private void Write(SqliteSession session, SqliteTransaction tx, string id, PendingWrites pending)
    {
        foreach (var checkpoint in pending.Checkpoints)
        {
            Append(session, tx, id, checkpoint);
        }
        if (pending.Progress is { } progress)
        {
            var update = session.Command("UPDATE wf_instances SET progress = $progress, updated_at = $now WHERE id = $id", tx);
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$progress", progress);
            update.Parameters.AddWithValue("$now", Now());
            update.ExecuteNonQuery();
        }
    }

    private static void Append(SqliteSession session, SqliteTransaction tx, string id, Checkpoint c)
    {
        // OR IGNORE: a step re-run after a crash between "done" and "recorded" keeps the first recorded result.
        var insert = session.Command("INSERT OR IGNORE INTO wf_checkpoints (instance_id, seq, kind, name, payload, recorded_at) VALUES ($id, $seq, $kind, $name, $payload, $at)", tx);
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$seq", c.Sequence);
        insert.Parameters.AddWithValue("$kind", c.Kind);
        insert.Parameters.AddWithValue("$name", c.Name);
        insert.Parameters.AddWithValue("$payload", (object?)c.Payload ?? DBNull.Value);
        insert.Parameters.AddWithValue("$at", c.RecordedTicks);
        insert.ExecuteNonQuery();
    }

    private long Now() => clock.GetUtcNow().UtcTicks;
}
