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

    public void Dispose() => _owner.Return(this);

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

/// <summary>Idle sessions of one database, up to a bound; beyond it a returned session is closed.</summary>
internal sealed class SqliteSessionPool
{
    private const int MaxIdle = 16;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private int _count;

    public SqliteSession? Take()
    {
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _count);
            return session;
        }
        return null;
    }

    public void Give(SqliteSession session)
    {
        if (Interlocked.Increment(ref _count) <= MaxIdle)
        {
            _idle.Add(session);
            return;
        }
        Interlocked.Decrement(ref _count);
        session.Close();
    }
}
