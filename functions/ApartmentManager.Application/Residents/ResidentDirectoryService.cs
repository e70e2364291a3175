using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Application.Residents;

/// <summary>A directory entry as an admin submits it (validated by the API layer).</summary>
public sealed record ResidentInput(string Building, string Unit, string? Name, string? Phone, string? Email);

/// <summary>Who may read and write the resident directory: admins write; a resident reads only their own entry.</summary>
public sealed partial class ResidentDirectoryService(IResidentDirectory directory, TimeProvider clock, ILogger<ResidentDirectoryService> logger)
{
    public async Task<ResidentEntry> PutAsync(Caller caller, string residentId, ResidentInput input, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Writing the resident directory needs the admin role.");
        }
        var entry = new ResidentEntry(residentId, UnitAddress.NormalizeBuilding(input.Building), UnitAddress.NormalizeUnit(input.Unit),
            input.Name, input.Phone, input.Email, clock.GetUtcNow(), caller.Actor);
        var stored = await directory.UpsertAsync(entry, ct);
        LogPut(residentId, stored.Building, stored.Unit, caller.Actor);
        return stored;
    }

    public async Task<ResidentEntry> GetAsync(Caller caller, string residentId, CancellationToken ct)
    {
        var entry = caller.CanSee(residentId) ? await directory.GetAsync(residentId, ct) : null;
        return entry ?? throw new RequestNotFoundException($"resident/{residentId}");
    }

    [LoggerMessage(LogLevel.Information, "Resident {ResidentId} is at {Building}/{Unit} in the directory (set by {Actor})")]
    private partial void LogPut(string residentId, string building, string unit, string actor);
}
