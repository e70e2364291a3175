using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Storage.Tests.Cosmos;

namespace ApartmentManager.Storage.Tests;

/// <summary>What every resident directory must do; run against SQLite and the local Cosmos-protocol server.</summary>
public abstract class ResidentDirectoryContract
{
    protected abstract IResidentDirectory Directory { get; }

    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_entry_is_stored_read_back_and_replaced_whole()
    {
        string id = "res-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Null(await Directory.GetAsync(id));

        var first = new ResidentEntry(id, "maple-court", "4B", "Ana Diaz", "+1 555 0100", "ana@example.com", T0, "admin:m1");
        await Directory.UpsertAsync(first);
        Assert.Equal(first, await Directory.GetAsync(id));

        var moved = new ResidentEntry(id, "birch hall", "12A", null, null, null, T0.AddDays(1), "admin:m2");
        await Directory.UpsertAsync(moved);
        Assert.Equal(moved, await Directory.GetAsync(id));
        Assert.Null(await Directory.GetAsync(id + "-other"));
    }

    [Fact]
    public async Task Delete_removes_the_entry_once()
    {
        string id = "res-" + Guid.NewGuid().ToString("N")[..8];
        await Directory.UpsertAsync(new ResidentEntry(id, "maple-court", "4B", "Ana Diaz", null, null, T0, "admin:m1"));
        Assert.True(await Directory.DeleteAsync(id));
        Assert.Null(await Directory.GetAsync(id));
        Assert.False(await Directory.DeleteAsync(id));
    }
}

public sealed class SqliteResidentDirectoryTests : ResidentDirectoryContract, IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("am-residents-").FullName;

    public SqliteResidentDirectoryTests() =>
        Directory = new SqliteResidentDirectory(new SqliteDatabase(Path.Combine(_dir, "residents.db"), SqliteResidentDirectory.Migrations));

    protected override IResidentDirectory Directory { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}

[Collection(CosmosServerCollection.Name)]
public sealed class CosmosResidentDirectoryTests(CosmosServerFixture server) : ResidentDirectoryContract
{
    protected override IResidentDirectory Directory { get; } = new CosmosResidentDirectory(server.Client, Microsoft.Extensions.Options.Options.Create(server.Options));
}
