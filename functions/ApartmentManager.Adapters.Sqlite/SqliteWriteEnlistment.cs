using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// Writes that may ride along with the next write transaction on one database in the same asynchronous flow: the
/// embedded workflow engine hands a step the checkpoint and progress of the step before it, and the step's own write of
/// the request (with its outbox events) commits them in the same transaction — one commit per step where there were two,
/// and a step's effect and the engine's record of what came before it are durable together or not at all.
/// </summary>
/// <remarks>
/// A store joins through <see cref="Commit"/> in place of <c>tx.Commit()</c>. At most one transaction takes the writes;
/// when it rolls back they stay for the next one (or for whoever began the enlistment, which writes them itself when
/// nothing took them). <see cref="Committed"/> tells whether the flow committed any write on the database at all.
/// </remarks>
public sealed class SqliteWriteEnlistment : IDisposable
{
    private const int Open = 0, Writing = 1, Written = 2, Closed = 3;
    private static readonly AsyncLocal<SqliteWriteEnlistment?> Ambient = new();

    private readonly SqliteDatabase _database;
    private readonly Action<SqliteSession, SqliteTransaction>? _write;
    private readonly Action? _onWritten;
    private readonly SqliteWriteEnlistment? _outer;
    private int _state;
    private int _commits;

    private SqliteWriteEnlistment(SqliteDatabase database, Action<SqliteSession, SqliteTransaction>? write, Action? onWritten)
    {
        _database = database;
        _write = write;
        _onWritten = onWritten;
        _outer = Ambient.Value;
        _state = write is null ? Written : Open;
    }

    /// <summary>
    /// Until disposed, the next write transaction on <paramref name="database"/> in this flow runs <paramref name="write"/>
    /// (if any) before it commits, and calls <paramref name="onWritten"/> once that commit succeeded.
    /// </summary>
    public static SqliteWriteEnlistment Begin(SqliteDatabase database, Action<SqliteSession, SqliteTransaction>? write = null, Action? onWritten = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var enlistment = new SqliteWriteEnlistment(database, write, onWritten);
        Ambient.Value = enlistment;
        return enlistment;
    }

    /// <summary>True when a write transaction on the database committed in this flow since <see cref="Begin"/>.</summary>
    public bool Committed => Volatile.Read(ref _commits) > 0;

    /// <summary>True when the enlisted writes have been committed (or there were none).</summary>
    public bool IsWritten => Volatile.Read(ref _state) == Written;

    /// <summary>
    /// Commits <paramref name="tx"/>, with the enlisted writes of this flow for <paramref name="database"/> (if any, and
    /// not yet taken) written in it first.
    /// </summary>
    public static void Commit(SqliteDatabase database, SqliteSession session, SqliteTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tx);
        var enlistment = Ambient.Value;
        while (enlistment is not null && !ReferenceEquals(enlistment._database, database))
        {
            enlistment = enlistment._outer;
        }
        if (enlistment is null)
        {
            tx.Commit();
            return;
        }
        var took = Interlocked.CompareExchange(ref enlistment._state, Writing, Open) == Open;
        try
        {
            if (took)
            {
                enlistment._write!(session, tx);
            }
            tx.Commit();
        }
        catch
        {
            if (took)
            {
                Volatile.Write(ref enlistment._state, Open); // rolled back: still to be written
            }
            throw;
        }
        Interlocked.Increment(ref enlistment._commits);
        if (took)
        {
            enlistment._onWritten?.Invoke();
            Volatile.Write(ref enlistment._state, Written);
        }
    }

    /// <summary>Ends the enlistment: later transactions in the flow no longer take its writes.</summary>
    public void Dispose()
    {
        // A transaction of this flow may be writing them right now (a task the step left running): let it finish.
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _state, Closed, Open) == Writing)
        {
            spin.SpinOnce();
        }
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = _outer;
        }
    }
}
