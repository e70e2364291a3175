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
/// <param name="RiskModel">The risk model retrained from outcomes that this set's risk step uses (trained by this run, or carried from the set it was based on); null: the configured model.</param>
public sealed record ParameterSet(
    string Version,
    int Number,
    DateTimeOffset CreatedAt,
    string Status,
    string BasedOn,
    SimulationCalibration Calibration,
    EvaluationReport Evaluation,
    LearnedRiskModel? RiskModel = null)
{
    public const string Adopted = "adopted";
    public const string Rejected = "rejected";

    public static string VersionOf(int number) => "v" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A risk model retrained from outcomes with the project's own trainer and exported to ONNX like the configured one.
/// Its bytes are kept in the parameter-set store under <see cref="StoredWith"/> (the version whose run trained it).
/// </summary>
/// <param name="ModelVersion">The ONNX model's own version ("risk-gbdt/learned-v3+hash"), recorded on every risk assessment it makes.</param>
/// <param name="TrainOutcomes">Outcomes with a kept input row it was trained on (the older part of the split).</param>
/// <param name="SkippedWithoutRow">Training outcomes left out because they were assessed before input rows were kept.</param>
public sealed record LearnedRiskModel(string StoredWith, string ModelVersion, int TrainOutcomes, int SkippedWithoutRow, long Bytes);

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

    /// <summary>Keeps a retrained risk model's ONNX bytes with the parameter set <paramref name="version"/> (written once).</summary>
    Task SaveRiskModelAsync(string version, byte[] onnx, CancellationToken cancellationToken = default);

    /// <summary>The retrained risk model kept with <paramref name="version"/>; null when none.</summary>
    Task<byte[]?> GetRiskModelAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Points the active version at <paramref name="active"/> (<c>priors</c> returns to the configured priors).</summary>
    Task SetActiveAsync(ActiveParameters active, CancellationToken cancellationToken = default);
}
