using System.Globalization;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Ports;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>The audit trail in <c>requests.db</c>. Rows are never deleted (a trigger refuses it).</summary>
public sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    public Task AppendAsync(AuditEntry e, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO audit (id, at, actor, action, target_type, target_id, before, after, correlation_id)
            VALUES ($id, $at, $actor, $action, $type, $target, $before, $after, $correlation)
            """;
        insert.Parameters.AddWithValue("$id", e.Id);
        insert.Parameters.AddWithValue("$at", e.At.UtcTicks);
        insert.Parameters.AddWithValue("$actor", e.Actor);
        insert.Parameters.AddWithValue("$action", e.Action);
        insert.Parameters.AddWithValue("$type", e.TargetType);
        insert.Parameters.AddWithValue("$target", e.TargetId);
        insert.Parameters.AddWithValue("$before", (object?)e.Before ?? DBNull.Value);
        insert.Parameters.AddWithValue("$after", (object?)e.After ?? DBNull.Value);
        insert.Parameters.AddWithValue("$correlation", (object?)e.CorrelationId ?? DBNull.Value);
        insert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(clause);
                select.Parameters.AddWithValue(name, value);
            }
        }
        Filter("actor = $actor", "$actor", query.Actor);
        Filter("action = $action", "$action", query.Action);
        Filter("target_type = $type", "$type", query.TargetType);
        Filter("target_id = $target", "$target", query.TargetId);
        Filter("at >= $from", "$from", query.From?.UtcTicks);
        Filter("at <= $to", "$to", query.To?.UtcTicks);
        if (query.ContinuationToken is { } token)
        {
            Filter("seq < $before", "$before", long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
                ? seq
                : throw new InvalidContinuationTokenException("not an audit position"));
        }
        select.CommandText = $"""
            SELECT seq, id, at, actor, action, target_type, target_id, before, after, correlation_id FROM audit
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY seq DESC LIMIT $limit
            """;
        select.Parameters.AddWithValue("$limit", query.Limit + 1);
        var items = new List<(long Seq, AuditEntry Entry)>();
        using (var r = select.ExecuteReader())
        {
            while (r.Read())
            {
                items.Add((r.GetInt64(0), new AuditEntry(r.GetString(1), SqliteWebhookStore.Time(r.GetInt64(2)), r.GetString(3), r.GetString(4),
                    r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetString(9))));
            }
        }
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = items[^1].Seq.ToString(CultureInfo.InvariantCulture);
        }
        return Task.FromResult(new Page<AuditEntry>([.. items.Select(i => i.Entry)], next));
    }
}
