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
    public void Migrations_are_recorded_and_not_reapplied()
    {
        // Opening twice would fail on CREATE TABLE if the recorded schema version were ignored.
        _ = Open();
        _ = Open();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
