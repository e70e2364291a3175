using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Storage.Tests;

public sealed class SqlitePlatformStoreTests : PlatformStoreContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-sqlite-platform-").FullName;
    private readonly SqliteDatabase _database;

    public SqlitePlatformStoreTests()
    {
        _database = new SqliteDatabase(Path.Combine(_dir, "requests.db"), SqliteRequestStore.Migrations);
        Requests = new SqliteRequestStore(_database);
        Webhooks = new SqliteWebhookStore(_database);
        Events = new SqliteEventLog(_database);
        Audit = new SqliteAuditLog(_database);
        Eraser = new SqliteResidentEraser(_database);
    }

    protected override IRequestStore Requests { get; }
    protected override IWebhookStore Webhooks { get; }
    protected override IEventLog Events { get; }
    protected override IAuditLog Audit { get; }
    protected override IPersonalDataHolder Eraser { get; }

    [Fact]
    public void The_audit_trail_refuses_deletes()
    {
        using var connection = _database.Open();
        using var delete = connection.CreateCommand();
        delete.CommandText = "INSERT INTO audit (id, at, actor, action, target_type, target_id) VALUES ('a', 0, 'x', 'y', 'z', 'w'); DELETE FROM audit;";
        var refused = Assert.Throws<SqliteException>(() => delete.ExecuteNonQuery());
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrading_a_database_records_no_events_for_history_written_before_the_outbox()
    {
        var path = Path.Combine(_dir, "old.db");
        var old = new SqliteDatabase(path, SqliteRequestStore.Migrations.Take(1).ToList());
        using (var connection = old.Open())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO requests (id, resident_id, building, unit, status, created_at, updated_at, etag, doc)
                VALUES ('r1', 'res', 'b', 'u', 'received', 0, 0, '"e"', '{"id":"r1","history":[{"event":"created"},{"event":"note"}]}')
                """;
            insert.ExecuteNonQuery();
        }
        var upgraded = new SqliteDatabase(path, SqliteRequestStore.Migrations);
        using var check = upgraded.Open().CreateCommand();
        check.CommandText = "SELECT (SELECT history_count FROM requests WHERE id = 'r1') * 100 + (SELECT COUNT(*) FROM events)";
        Assert.Equal(200L, check.ExecuteScalar());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
