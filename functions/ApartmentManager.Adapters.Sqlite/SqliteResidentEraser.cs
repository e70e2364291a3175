using System.Text.Json;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// Erasure in <c>requests.db</c>, one transaction: the resident's requests (document and columns), their events in the
/// log, the webhook deliveries carrying those events, and audit entries naming the resident (as actor or target). Runs last:
/// once it commits, nothing is found under the resident's id any more (a second erasure finds nothing).
/// </summary>
public sealed class SqliteResidentEraser(SqliteDatabase database) : IPersonalDataHolder
{
    public string Name => "requests";

    public bool RunsLast => true;

    public Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction(deferred: false);
        var changed = 0;

        var requests = new List<(string Id, string Doc)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = "SELECT id, doc FROM requests WHERE resident_id = $resident";
            select.Parameters.AddWithValue("$resident", scope.ResidentId);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                requests.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        using (var update = connection.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE requests SET resident_id = $pseudonym, unit = $unit, doc = $doc, etag = $etag WHERE id = $id";
            foreach (var (id, doc) in requests)
            {
                var request = JsonSerializer.Deserialize(doc, StoreJsonContext.Default.ResidentRequest)!;
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$pseudonym", scope.Pseudonym);
                update.Parameters.AddWithValue("$unit", PersonalData.Erased);
                update.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(PersonalData.Erase(request, scope.Pseudonym), StoreJsonContext.Default.ResidentRequest));
                update.Parameters.AddWithValue("$etag", $"\"{Guid.NewGuid():N}\"");
                update.Parameters.AddWithValue("$id", id);
                changed += update.ExecuteNonQuery();
            }
        }
        changed += Rewrite(tx, "events", "position", scope);
        changed += Rewrite(tx, "webhook_deliveries", "seq", scope);
        using (var audit = connection.CreateCommand())
        {
            audit.Transaction = tx;
            audit.CommandText = """
                UPDATE audit SET actor = $pseudonym WHERE actor = $resident;
                UPDATE audit SET target_id = $pseudonym WHERE target_type = 'resident' AND target_id = $resident;
                SELECT total_changes();
                """;
            audit.Parameters.AddWithValue("$pseudonym", scope.Pseudonym);
            audit.Parameters.AddWithValue("$resident", scope.ResidentId);
            audit.ExecuteNonQuery();
        }
        tx.Commit();
        return Task.FromResult(changed);

        int Rewrite(Microsoft.Data.Sqlite.SqliteTransaction transaction, string table, string key, ErasureScope s)
        {
            var rows = new List<(long Key, string Payload)>();
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = $"SELECT {key}, payload FROM {table} WHERE resident_id = $resident";
                select.Parameters.AddWithValue("$resident", s.ResidentId);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = $"UPDATE {table} SET resident_id = $pseudonym, payload = $payload WHERE {key} = $key";
            foreach (var (rowKey, payload) in rows)
            {
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$pseudonym", s.Pseudonym);
                update.Parameters.AddWithValue("$payload", EventJsonContext.Serialize(PersonalData.Erase(EventJsonContext.Deserialize(payload), s.ResidentId, s.Pseudonym)));
                update.Parameters.AddWithValue("$key", rowKey);
                update.ExecuteNonQuery();
            }
            return rows.Count;
        }
    }
}
