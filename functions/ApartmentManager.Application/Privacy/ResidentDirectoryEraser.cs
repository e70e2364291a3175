using ApartmentManager.Application.Ports;

namespace ApartmentManager.Application.Privacy;

/// <summary>
/// Erasure in the resident directory (SQLite or Cosmos DB, whichever the host registered): the entry — unit, name,
/// phone, e-mail — is removed whole; nothing in it is needed for learning or reporting. Idempotent.
/// </summary>
public sealed class ResidentDirectoryEraser(IResidentDirectory directory) : IPersonalDataHolder
{
    public string Name => "directory";

    public async Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await directory.DeleteAsync(scope.ResidentId, cancellationToken) ? 1 : 0;
    }
}
