using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Evaluation;

namespace ApartmentManager.Learning.Parameters;

/// <summary>
/// One learning run's candidate: the learned parameters, the outcomes they were fitted on, and how they compared with
/// the parameters active at the time on newer, held-out outcomes. Immutable once written; whether it is in use is the
/// store's active pointer, not a field here.
/// </summary>
/// <param name="Version">"v1", "v2", … in the order runs made them.</param>
/// <param name="Status">"adopted" (it predicted better and became active) or "rejected" (kept with its evaluation, never activated by a run).</param>
/// <param name="BasedOn">The version active when it was evaluated ("priors" when none).</param>
public sealed record ParameterSet(
    string Version,
    int Number,
    DateTimeOffset CreatedAt,
    string Status,
    string BasedOn,
    SimulationCalibration Calibration,
    EvaluationReport Evaluation)
{
    public const string Adopted = "adopted";
    public const string Rejected = "rejected";

    public static string VersionOf(int number) => "v" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Who made a version active, and when (adoption by a run, or an admin's roll-back).</summary>
public sealed record ActiveParameters(string Version, DateTimeOffset At, string Actor);

/// <summary>Parameter sets and the pointer to the active one (SQLite <c>learning.db</c>; Cosmos DB <c>platform</c> container).</summary>
public interface IParameterSetStore
{
    /// <summary>Writes a new set; false (nothing written) when that version exists already.</summary>
    Task<bool> CreateAsync(ParameterSet set, CancellationToken cancellationToken = default);

    Task<ParameterSet?> GetAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Every set, newest first.</summary>
    Task<IReadOnlyList<ParameterSet>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The active version; null when none was ever activated (the priors).</summary>
    Task<ActiveParameters?> GetActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Points the active version at <paramref name="active"/> (<c>priors</c> returns to the configured priors).</summary>
    Task SetActiveAsync(ActiveParameters active, CancellationToken cancellationToken = default);
}
