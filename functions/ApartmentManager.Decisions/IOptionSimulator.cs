using ApartmentManager.Domain;

namespace ApartmentManager.Decisions;

/// <summary>Step 3: the options policy allows for a request, each simulated.</summary>
public interface IOptionSimulator
{
    /// <summary>
    /// Generates the options for a classified, risk-scored request and simulates each.
    /// Throws <see cref="RequestNotReadyException"/> when classification or risk is missing and
    /// <see cref="InvalidSimulationSettingsException"/> when <paramref name="settings"/> are out of range.
    /// </summary>
    Task<IReadOnlyList<ResolutionOption>> SimulateAsync(ResidentRequest request, SimulationSettings? settings = null, CancellationToken cancellationToken = default);
}
