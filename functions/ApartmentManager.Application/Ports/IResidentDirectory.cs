namespace ApartmentManager.Application.Ports;

/// <summary>A resident's directory entry: where they live (canonical building and unit) and how to reach them.</summary>
public sealed record ResidentEntry(
    string ResidentId,
    string Building,
    string Unit,
    string? Name,
    string? Phone,
    string? Email,
    DateTimeOffset UpdatedAt,
    string UpdatedBy);

/// <summary>
/// The resident directory: when a resident has an entry, it is the source of their unit and a request for another
/// unit is refused. Implemented over SQLite (single node) and Cosmos DB (Azure).
/// </summary>
public interface IResidentDirectory
{
    Task<ResidentEntry?> GetAsync(string residentId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the entry; returns what was stored.</summary>
    Task<ResidentEntry> UpsertAsync(ResidentEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry (privacy erasure); false when there was none.</summary>
    Task<bool> DeleteAsync(string residentId, CancellationToken cancellationToken = default);
}
