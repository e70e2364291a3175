using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// The local <c>executions.db</c>: the execution log (<see cref="SqliteExecutionLog"/>, single node) and, in embedded
/// mode, what the gateways "did". Every side-effect table has a UNIQUE idempotency key, so even two processes cannot
/// record one action twice.
/// </summary>
public sealed class ExecutionDatabase
{
    private readonly SqliteDatabase _database;

    public ExecutionDatabase(string path)
    {
        FilePath = path;
        _database = new SqliteDatabase(path, [Schema, Leases]);
    }

    public string FilePath { get; }

    /// <summary>An open connection (WAL mode, busy timeout) to the executions database, schema applied.</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => Task.FromResult(_database.Open());

    /// <summary>Migration 2: the claim's lease (who holds a pending entry, with which token, until when).</summary>
    private const string Leases = """
                ALTER TABLE executions ADD COLUMN lease_holder TEXT NULL;
                ALTER TABLE executions ADD COLUMN lease_token TEXT NULL;
                ALTER TABLE executions ADD COLUMN lease_until TEXT NULL
                """;

    private const string Schema = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS executions (
                    id TEXT PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    request_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    started_at TEXT NOT NULL,
                    completed_at TEXT NULL,
                    external_reference TEXT NULL,
                    error TEXT NULL,
                    payload TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_executions_request ON executions(request_id, started_at);
                CREATE TABLE IF NOT EXISTS work_orders (
                    reference TEXT PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    request_id TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    cancelled_at TEXT NULL,
                    cancel_reason TEXT NULL
                );
                CREATE TABLE IF NOT EXISTS notifications (
                    reference TEXT PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    request_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS ledger_entries (
                    reference TEXT PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    request_id TEXT NOT NULL,
                    resident_id TEXT NOT NULL,
                    entry_type TEXT NOT NULL,
                    amount TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    memo TEXT NOT NULL,
                    reverses TEXT NULL,
                    created_at TEXT NOT NULL
                );
                """;
}
