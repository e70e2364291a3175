namespace ApartmentManager.Decisions;

/// <summary>Per-call overrides for a simulation. Anything left null comes from <see cref="DecisionOptions.Simulation"/>.</summary>
/// <param name="Runs">Monte Carlo runs per option (100–200,000).</param>
/// <param name="Seed">Stream seed; the same seed and inputs give the same numbers.</param>
/// <param name="StartHourOfDay">Local hour (0–24) the request came in; defaults to the request's own creation time.</param>
/// <param name="Describe">Let the optional LLM pass rewrite descriptions (never numbers).</param>
public sealed record SimulationSettings(int? Runs = null, ulong? Seed = null, double? StartHourOfDay = null, bool Describe = true)
{
    public const int MinRuns = 100;
    public const int MaxRuns = 200_000;

    /// <summary>Field → problems, in the shape of ValidationProblemDetails.Errors; empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Runs is < MinRuns or > MaxRuns)
        {
            errors["runs"] = [$"runs must be between {MinRuns} and {MaxRuns}."];
        }
        if (StartHourOfDay is { } h && (double.IsNaN(h) || h < 0 || h >= 24))
        {
            errors["startHourOfDay"] = ["startHourOfDay must be at least 0 and less than 24."];
        }
        return errors;
    }
}

/// <summary>The settings are out of range. The API answers 400 with <see cref="Errors"/>.</summary>
public sealed class InvalidSimulationSettingsException(IReadOnlyDictionary<string, string[]> errors)
    : ArgumentException("The simulation settings are not valid: " + string.Join("; ", errors.Values.SelectMany(v => v)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The request has not been classified and risk-scored yet, or has no options to decide on (409).</summary>
public sealed class RequestNotReadyException(string message) : ApartmentManager.Domain.DomainException(message);
