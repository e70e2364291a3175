using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// Opens connections to one SQLite file in WAL mode (readers never block the writer) and applies schema migrations
/// in order, recording the version in <c>PRAGMA user_version</c>.
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();
    private readonly string _connectionString;
    private readonly SqliteSessionPool _sessions;

    /// <param name="path">The file.</param>
    /// <param name="migrations">Its schema, in order (<c>PRAGMA user_version</c> counts those applied).</param>
    /// <param name="singleSession">
    /// Every <see cref="Session"/> is the same connection, lent to one caller at a time: its page cache stays valid
    /// between calls. SQLite drops a connection's whole page cache when another connection has written since its last
    /// transaction, so with a pool every read after someone else's write re-reads the pages it needs (by <c>pread</c>);
    /// one connection for the hot path (its writes are serialised by SQLite anyway) keeps them.
    /// </param>
    public SqliteDatabase(string path, IReadOnlyList<string> migrations, bool singleSession = false)
    {
        _sessions = new SqliteSessionPool(singleSession);
        Path = path;
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate(migrations);
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Pooled connections keep their native handle; per-connection settings are applied once per handle, not on
        // every open (every store call opens one).
        if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            using var pragma = connection.CreateCommand();
            // busy_timeout makes a second writer wait for the first instead of failing with SQLITE_BUSY.
            // With a single session, no connection checkpoints on its own commit (that would hold the one connection
            // through copying the WAL back and syncing): see CheckpointNow.
            pragma.CommandText = _sessions.Single
                ? "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;"
                : "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            Configured.AddOrUpdate(handle, Marker);
        }
        return connection;
    }

    /// <summary>
    /// An open connection that keeps its compiled statements between uses (see <see cref="SqliteSession"/>); the hot
    /// paths (a request's read and write, the workflow engine's bookkeeping) use it. Dispose gives it back.
    /// </summary>
    public SqliteSession Session()
    {
        if (_sessions.Take() is { } session)
        {
            return session;
        }
        try
        {
            return new SqliteSession(this, Open());
        }
        catch
        {
            _sessions.Abandon(); // never opened: the next caller tries again
            throw;
        }
    }

    /// <summary>True when every session is the same connection (see the constructor).</summary>
    public bool SingleSession => _sessions.Single;

    internal void Return(SqliteSession session)
    {
        _sessions.Give(session);
        // With a single session, every CheckpointEvery loans the caller that gives it back copies the WAL into the
        // database on a connection of its own (PASSIVE: nobody waits for it), after the single connection is free again.
        if (_sessions.Single && Interlocked.Increment(ref _loansSinceCheckpoint) == CheckpointEvery)
        {
            CheckpointNow();
        }
    }

    /// <summary>Loans of the single session between two checkpoints: some 200 requests, a few thousand WAL pages.</summary>
    private const int CheckpointEvery = 4096;
    private int _loansSinceCheckpoint;

    private void CheckpointNow()
    {
        try
        {
            using var connection = Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Busy or closing: the next round checkpoints what is left.
        }
        finally
        {
            Interlocked.Exchange(ref _loansSinceCheckpoint, 0);
        }
    }

    private void Migrate(IReadOnlyList<string> migrations)
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction(System.Data.IsolationLevel.Serializable);
        using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = version; i < migrations.Count; i++)
        {
            using var step = connection.CreateCommand();
            step.Transaction = tx;
            step.CommandText = migrations[i] + $"; PRAGMA user_version = {i + 1};";
            step.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// Applies the migrations of one more component that shares this file (the embedded workflow engine's tables beside
    /// the requests), its version kept in the <c>schema_components</c> table: <c>PRAGMA user_version</c> belongs to the
    /// file's own migrations.
    /// </summary>
    public void Migrate(string component, IReadOnlyList<string> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        using var connection = Open();
        using var tx = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_components (name TEXT PRIMARY KEY, version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }
        using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT version FROM schema_components WHERE name = $name";
        read.Parameters.AddWithValue("$name", component);
        var version = read.ExecuteScalar() is { } found and not DBNull ? Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture) : 0;
        for (var i = version; i < migrations.Count; i++)
        {
            using var step = connection.CreateCommand();
            step.Transaction = tx;
            step.CommandText = migrations[i];
            step.ExecuteNonQuery();
        }
        if (version < migrations.Count)
        {
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_components (name, version) VALUES ($name, $version) ON CONFLICT (name) DO UPDATE SET version = excluded.version";
            record.Parameters.AddWithValue("$name", component);
            record.Parameters.AddWithValue("$version", migrations.Count);
            record.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>SQLITE_CONSTRAINT: a primary key or unique index refused the row.</summary>
    public static bool IsConstraintViolation(SqliteException e) => e.SqliteErrorCode == 19;
}
