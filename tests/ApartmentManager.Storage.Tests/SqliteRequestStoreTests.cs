using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Storage.Tests;

public sealed class SqliteRequestStoreTests : RequestStoreContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-sqlite-").FullName;
    private readonly SqliteRequestStore _store;

    public SqliteRequestStoreTests() => _store = Open();

    protected override IRequestStore Store => _store;

    private SqliteRequestStore Open() =>
        new(new SqliteDatabase(Path.Combine(_dir, "requests.db"), SqliteRequestStore.Migrations));

    [Fact]
    public async Task Data_survives_reopening_the_database()
    {
        var created = await _store.CreateAsync(NewRequest());

        var reopened = Open();

        var read = await reopened.GetAsync(created.Value.Id);
        Assert.Equal(created.ETag, read!.ETag);
        Assert.Equal(RequestStatus.Received, read.Value.Status);
    }

    [Fact]
    public async Task A_kept_version_is_used_only_while_the_row_still_has_its_etag()
    {
        // Another writer of the same file (the eraser, a second store): the version this store keeps is stale after it.
        var created = await _store.CreateAsync(NewRequest());
        var read = (await _store.GetAsync(created.Value.Id))!;
        var other = Open();
        var changed = await other.ReplaceAsync(read.Value.Record("note", "manager-1", DateTimeOffset.UtcNow, "from elsewhere"), read.ETag);

        var again = (await _store.GetAsync(created.Value.Id))!;
        Assert.Equal(changed.ETag, again.ETag);
        Assert.Equal("note", again.Value.History[^1].Event);
        // A write with the ETag this store had kept loses, though it still keeps that version's history count.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(read.Value.Record("late", "manager-2", DateTimeOffset.UtcNow, "stale"), read.ETag));
        // And a write on the version it read now wins, publishing exactly the one new entry.
        var events = new SqliteEventLog(new SqliteDatabase(Path.Combine(_dir, "requests.db"), SqliteRequestStore.Migrations));
        var before = (await events.ForResidentAsync(again.Value.ResidentId)).Count;
        await _store.ReplaceAsync(again.Value.Record("later", "manager-2", DateTimeOffset.UtcNow, "fresh"), again.ETag);
        Assert.Equal(before + 1, (await events.ForResidentAsync(again.Value.ResidentId)).Count);
    }

    [Fact]
    public void Migrations_are_recorded_and_not_reapplied()
    {
        // Opening twice would fail on CREATE TABLE if the recorded schema version were ignored.
        _ = Open();
        _ = Open();
    }

    [Fact]
    public async Task Rows_written_before_the_outcome_columns_are_filled_from_their_documents()
    {
        // A database at the schema before the outcome columns, holding a resolved, escalated, rated request.
        var path = Path.Combine(_dir, "old.db");
        // (Found by its content, not its position: later migrations are appended after it.)
        var oldDatabase = new SqliteDatabase(path, [.. SqliteRequestStore.Migrations.TakeWhile(m => !m.Contains("ADD COLUMN escalated", StringComparison.Ordinal))]);
        var at = new DateTimeOffset(2026, 11, 2, 9, 30, 15, 123, TimeSpan.Zero);
        var request = NewRequest().TransitionTo(RequestStatus.Escalated, "system", at.AddHours(-1)) with
        {
            Status = RequestStatus.Resolved,
            Resolution = new Resolution("fixed", 4, "res-old", at, Confirmed: true),
        };
        using (var connection = oldDatabase.Open())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO requests (id, resident_id, building, unit, status, category, urgency, created_at, updated_at, etag, doc, history_count)
                VALUES ($id, $resident, $building, '4B', 'resolved', NULL, NULL, $created, $created, '"e1"', $doc, 3)
                """;
            insert.Parameters.AddWithValue("$id", request.Id);
            insert.Parameters.AddWithValue("$resident", request.ResidentId);
            insert.Parameters.AddWithValue("$building", Building);
            insert.Parameters.AddWithValue("$created", request.CreatedAt.UtcTicks);
            insert.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(request,
                ApartmentManager.Application.Serialization.StoreJsonContext.Default.ResidentRequest));
            insert.ExecuteNonQuery();
        }

        var migrated = new SqliteRequestStore(new SqliteDatabase(path, SqliteRequestStore.Migrations));

        var found = await migrated.QueryAsync(new RequestQuery
        {
            Building = Building, Escalated = true, MinRating = 4, Reopened = false, Unconfirmed = false,
            ResolvedFrom = at.AddMilliseconds(-1), ResolvedTo = at.AddMilliseconds(1),
        });
        Assert.Equal(request.Id, Assert.Single(found.Items).Id);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
