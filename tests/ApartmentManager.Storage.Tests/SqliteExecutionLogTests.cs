using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Storage.Tests;

/// <summary>The execution log contract against SQLite: each instance opens <c>executions.db</c> on its own, as a second process would.</summary>
public sealed class SqliteExecutionLogTests : ExecutionLogContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-sqlite-executions-").FullName;

    private string DatabasePath => Path.Combine(_dir, "executions.db");

    protected override IExecutionLog NewInstance() => new SqliteExecutionLog(new ExecutionDatabase(DatabasePath), Clock);

    [Fact]
    public async Task A_pending_entry_from_before_leases_existed_is_taken_over()
    {
        // executions.db as the previous version left it: schema version 1, a pending row with no lease columns.
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE executions (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request_id TEXT NOT NULL,
                    action TEXT NOT NULL, gateway TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, started_at TEXT NOT NULL,
                    completed_at TEXT NULL, external_reference TEXT NULL, error TEXT NULL, payload TEXT NOT NULL);
                CREATE TABLE work_orders (reference TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request_id TEXT NOT NULL,
                    payload TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, cancelled_at TEXT NULL, cancel_reason TEXT NULL);
                INSERT INTO executions VALUES ('exe-old', 'req-old:notify', 'req-old', 'send_notification', 'notifications', 'pending', 0,
                    '2026-11-01T08:00:00.0000000+00:00', NULL, NULL, NULL, '{}');
                PRAGMA user_version = 1;
                """;
            create.ExecuteNonQuery();
        }

        var log = NewInstance();
        var claim = await log.ClaimAsync(new ExecutionClaimRequest("req-old",
            new ApartmentManager.Domain.ExecutionRecord("exe-old", "req-old:notify", "send_notification", "notifications",
                ApartmentManager.Domain.ExecutionStatus.Pending, 0, Clock.GetUtcNow(), null, null, null), "{}", "instance-a", TimeSpan.FromMinutes(1)));

        Assert.Equal(ExecutionClaimOutcome.TakenOver, claim.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), claim.Record.StartedAt);
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
