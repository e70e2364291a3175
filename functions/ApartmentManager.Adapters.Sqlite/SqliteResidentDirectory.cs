using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Serialization;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>The resident directory in SQLite (<c>residents.db</c>): one JSON document per resident, replaced whole.</summary>
public sealed class SqliteResidentDirectory(SqliteDatabase database) : IResidentDirectory
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        "CREATE TABLE residents (id TEXT PRIMARY KEY, doc TEXT NOT NULL)",
    ];

    public Task<ResidentEntry?> GetAsync(string residentId, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT doc FROM residents WHERE id = $id";
        read.Parameters.AddWithValue("$id", residentId);
        return Task.FromResult(read.ExecuteScalar() is string doc ? JsonSerializer.Deserialize(doc, StoreJsonContext.Default.ResidentEntry) : null);
    }

    public Task<ResidentEntry> UpsertAsync(ResidentEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var connection = database.Open();
        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO residents (id, doc) VALUES ($id, $doc) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc";
        write.Parameters.AddWithValue("$id", entry.ResidentId);
        write.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(entry, StoreJsonContext.Default.ResidentEntry));
        write.ExecuteNonQuery();
        return Task.FromResult(entry);
    }

    public Task<bool> DeleteAsync(string residentId, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM residents WHERE id = $id";
        delete.Parameters.AddWithValue("$id", residentId);
        return Task.FromResult(delete.ExecuteNonQuery() > 0);
    }
}
