using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// An open connection lent by <see cref="SqliteDatabase.Session"/> with the statements it has compiled: a statement run
/// again on the same session is bound and stepped, not parsed and planned again (Microsoft.Data.Sqlite keeps a compiled
/// statement only as long as its command object, and closes every command when a connection closes). Dispose gives the
/// session back. One caller at a time; a command from <see cref="Command"/> belongs to the session and is not disposed
/// by the caller.
/// </summary>
public sealed class SqliteSession : IDisposable
{
    /// <summary>Statements kept per session; queries assembled from filters have a handful of shapes, never more.</summary>
    private const int MaxStatements = 64;

    private readonly SqliteDatabase _owner;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private int _lent = 1;

    internal SqliteSession(SqliteDatabase owner, SqliteConnection connection)
    {
        _owner = owner;
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The statement for <paramref name="sql"/>, compiled once per session, with no parameters bound yet.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            if (_statements.Count < MaxStatements)
            {
                _statements.Add(sql, command);
            }
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>BEGIN (deferred) or BEGIN IMMEDIATE (the write lock taken at once).</summary>
    public SqliteTransaction BeginTransaction(bool deferred = true) => Connection.BeginTransaction(deferred);

    /// <summary>Gives the session back; disposing it again before it is lent again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _lent, 0) == 1)
        {
            _owner.Return(this);
        }
    }

    /// <summary>Marks the session lent (again) by the pool.</summary>
    internal SqliteSession Lend()
    {
        Volatile.Write(ref _lent, 1);
        return this;
    }

    internal void Close()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _statements.Clear();
        Connection.Dispose();
    }
}

/// <summary>
/// Idle sessions of one database, up to a bound; beyond it a returned session is closed. Single: one session, lent to
/// one caller at a time (the next waits for it).
/// </summary>
internal sealed class SqliteSessionPool(bool single)
{
    private const int MaxIdle = 16;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private readonly SemaphoreSlim? _lent = single ? new SemaphoreSlim(1, 1) : null;
    private SqliteSession? _only;
    private int _count;

    public bool Single => _lent is not null;

    public SqliteSession? Take()
    {
        if (_lent is not null)
        {
            _lent.Wait();
            return _only?.Lend(); // null the first time: the caller opens it and gives it back
        }
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _count);
            return session.Lend();
        }
        return null;
    }

    /// <summary>A take that opened nothing (the single session could not be opened): its turn ends.</summary>
    public void Abandon() => _lent?.Release();

    public void Give(SqliteSession session)
    {
        if (_lent is not null)
        {
            _only = session;
            _lent.Release();
            return;
        }
        if (Interlocked.Increment(ref _count) <= MaxIdle)
        {
            _idle.Add(session);
            return;
        }
        Interlocked.Decrement(ref _count);
        session.Close();
    }
}
