using Microsoft.Data.Sqlite;

namespace ApartmentManager.Execution.Embedded;

/// <summary>
/// The local <c>executions.db</c>: the execution log (both modes) and, in embedded mode, what the gateways "did".
/// Every side-effect table has a UNIQUE idempotency key, so even two processes cannot record one action twice.
/// </summary>
public sealed class ExecutionDatabase
{
    private readonly string _connectionString;
    private int _initialized;
    private readonly Lock _initLock = new();

    public ExecutionDatabase(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using (var pragma = connection.CreateCommand())
        {
            // busy_timeout lets concurrent writers queue instead of failing with SQLITE_BUSY.
            pragma.CommandText = "PRAGMA busy_timeout = 10000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        EnsureSchema(connection);
        return connection;
    }

    private void EnsureSchema(SqliteConnection connection)
    {
        if (Volatile.Read(ref _initialized) == 1)
        {
            return;
        }
        lock (_initLock)
        {
            if (_initialized == 1)
            {
                return;
            }
            using var command = connection.CreateCommand();
            command.CommandText = """
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
            command.ExecuteNonQuery();
            Volatile.Write(ref _initialized, 1);
        }
    }
}
