using System.Collections.Concurrent;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// The latest known version of recently used requests (bounded: past the bound it starts over). A kept version is only
/// ever used after its ETag was checked against the row; requests are immutable records, so sharing one is safe.
/// </summary>
internal sealed class RecentVersions
{
    private const int Capacity = 2048;
    private readonly ConcurrentDictionary<string, Versioned<ResidentRequest>> _versions = new(StringComparer.Ordinal);

    public Versioned<ResidentRequest>? TryGet(string id) => _versions.TryGetValue(id, out var kept) ? kept : null;

    public void Keep(Versioned<ResidentRequest> version)
    {
        if (_versions.Count >= Capacity)
        {
            _versions.Clear(); // the requests in flight come back with their next read or write
        }
        _versions[version.Value.Id] = version;
    }

    public void Forget(string id) => _versions.TryRemove(id, out _);
}
