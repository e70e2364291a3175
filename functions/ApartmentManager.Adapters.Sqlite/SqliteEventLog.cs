using ApartmentManager.Application.Events;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// The embedded durable topic: the <c>events</c> table of <c>requests.db</c>, appended by <see cref="SqliteRequestStore"/>
/// in the transaction of the write that caused each event. Positions ascend in commit order (SQLite has one writer).
/// </summary>
public sealed class SqliteEventLog(SqliteDatabase database) : IEventLog
{
    /// <summary>The events with their stored payloads, serialised ahead of the transaction that appends them.</summary>
    internal static IReadOnlyList<(DomainEvent Event, string Payload)> Prepare(IReadOnlyList<DomainEvent> events) =>
        events.Count == 0 ? [] : [.. events.Select(e => (e, EventJsonContext.Serialize(e)))];

    internal static void Append(SqliteSession session, SqliteTransaction tx, IReadOnlyList<(DomainEvent Event, string Payload)> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        // A re-appended id (impossible unless history shrank and grew again) is ignored, never duplicated.
        var insert = session.Command("""
            INSERT INTO events (id, type, request_id, resident_id, occurred_at, payload)
            VALUES ($id, $type, $request, $resident, $at, $payload) ON CONFLICT (id) DO NOTHING
            """, tx);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var request = insert.Parameters.Add("$request", SqliteType.Text);
        var resident = insert.Parameters.Add("$resident", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        foreach (var (e, serialized) in events)
        {
            id.Value = e.Id;
            type.Value = e.Type;
            request.Value = e.RequestId;
            resident.Value = e.ResidentId;
            at.Value = e.OccurredAt.UtcTicks;
            payload.Value = serialized;
            insert.ExecuteNonQuery();
        }
    }

    public Task<IReadOnlyList<DomainEvent>> ForResidentAsync(string residentId, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT payload FROM events WHERE resident_id = $resident ORDER BY position";
        select.Parameters.AddWithValue("$resident", residentId);
        var found = new List<DomainEvent>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            found.Add(EventJsonContext.Deserialize(reader.GetString(0)));
        }
        return Task.FromResult<IReadOnlyList<DomainEvent>>(found);
    }
}
