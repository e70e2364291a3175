using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Calibration;

/// <summary>
/// What the learning engine learned from outcomes, in the terms the simulation and the risk step use. Immutable and
/// versioned: a decision records the <see cref="Version"/> its options were simulated with. Anything not present
/// falls back to the configured priors (the option generators' figures).
/// </summary>
/// <param name="Version">The parameter set's version, e.g. "v3".</param>
/// <param name="Work">Hands-on work time (hours) of the first visit per <see cref="CalibrationKeys.Of"/> (category × urgency × option kind).</param>
/// <param name="CostFactor">Multiplier on call-out, labour and parts cost per category × urgency × option kind.</param>
/// <param name="SatisfactionShift">Added to the option's satisfaction when resolved at once, per option kind (from ratings and reopenings).</param>
/// <param name="BuildingRiskLogOdds">Added to the risk model's log-odds for requests from a building (normalised name).</param>
/// <param name="RiskLogOddsShift">Added to the risk model's log-odds for every request (calibration-in-the-large).</param>
/// <param name="CrewCapacity">Crew size per hour of day (24 values, fractional) per crew pool name (technicians, on_call, vendors, emergency_vendors, office); a pool not listed keeps its configured size.</param>
public sealed record SimulationCalibration(
    string Version,
    IReadOnlyDictionary<string, LearnedDuration> Work,
    IReadOnlyDictionary<string, double> CostFactor,
    IReadOnlyDictionary<string, double> SatisfactionShift,
    IReadOnlyDictionary<string, double> BuildingRiskLogOdds,
    double RiskLogOddsShift = 0,
    IReadOnlyDictionary<string, double[]>? CrewCapacity = null)
{
    /// <summary>The risk model's probability for a request from <paramref name="building"/>, with the learned shifts applied.</summary>
    public double AdjustRisk(double probability, string building)
    {
        double shift = RiskLogOddsShift + BuildingRiskLogOdds.GetValueOrDefault(UnitAddress.NormalizeBuilding(building));
        if (shift == 0)
        {
            return probability;
        }
        double p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        double logit = Math.Log(p / (1 - p)) + shift;
        return 1 / (1 + Math.Exp(-logit));
    }

    /// <summary>The learned log-odds shift for a building (0 when none was learned).</summary>
    public double RiskShiftFor(string building) =>
        RiskLogOddsShift + BuildingRiskLogOdds.GetValueOrDefault(UnitAddress.NormalizeBuilding(building));
}

/// <summary>A learned log-normal duration: its median and p90 (hours) and how many outcomes (plus the prior's weight) it rests on.</summary>
public sealed record LearnedDuration(double MedianHours, double P90Hours, double Weight);

/// <summary>The keys of <see cref="SimulationCalibration"/>'s tables.</summary>
public static class CalibrationKeys
{
    public static string Of(Category category, Urgency urgency, string optionKind) =>
        string.Concat(Names.Of(category), "|", Names.Of(urgency), "|", optionKind);
}

/// <summary>Where the simulation and the risk step find the active learned parameters; null means the priors.</summary>
public interface ICalibrationSource
{
    ValueTask<SimulationCalibration?> GetActiveAsync(CancellationToken cancellationToken = default);
}

/// <summary>No learning: the configured priors only.</summary>
public sealed class PriorsOnlyCalibrationSource : ICalibrationSource
{
    public static readonly PriorsOnlyCalibrationSource Instance = new();

    public ValueTask<SimulationCalibration?> GetActiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<SimulationCalibration?>(null);
}

/// <summary>Names shared by the simulation and the learning engine.</summary>
public static class LearnedParameters
{
    /// <summary>The version recorded when no learned parameter set is active: the configured priors.</summary>
    public const string PriorsVersion = "priors";
}
