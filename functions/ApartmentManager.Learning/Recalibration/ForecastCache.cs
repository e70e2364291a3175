using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;

namespace ApartmentManager.Learning.Recalibration;

/// <summary>
/// Forecasts of past decisions under one parameter set, shared by the fit and the evaluation. Outcomes that agree on
/// category, urgency, option kind, hour and risk (to 0.02) share one simulation, so a run costs a few hundred
/// simulations rather than one per outcome.
/// </summary>
internal sealed class ForecastCache(OptionForecaster forecaster, int runs)
{
    private readonly Dictionary<(SimulationCalibration?, string, int, int), OptionForecast?> _cache = new(new KeyComparer());
    private readonly Dictionary<(SimulationCalibration?, string, int, int), double[]?> _responses = new(new KeyComparer());

    /// <summary>Each run's time from dispatch to someone on site, for the same forecast as <see cref="For"/>; null where there is none.</summary>
    public double[]? Responses(OutcomeRecord o, SimulationCalibration? calibration, double baseRisk)
    {
        var (key, forecastCase) = Key(o, calibration, baseRisk);
        if (!_responses.TryGetValue(key, out var responses))
        {
            var buffer = new double[runs];
            var forecast = forecaster.Forecast(forecastCase, calibration, runs, responses: buffer);
            _cache.TryAdd(key, forecast);
            _responses[key] = responses = forecast is null ? null : buffer;
        }
        return responses;
    }

    private ((SimulationCalibration?, string, int, int) Key, ForecastCase Case) Key(OutcomeRecord o, SimulationCalibration? calibration, double baseRisk)
    {
        double risk = calibration?.AdjustRisk(baseRisk, o.Building) ?? baseRisk;
        int hour = Math.Clamp((int)o.HourOfDay, 0, 23);
        int riskKey = (int)Math.Round(risk * 50);
        return ((calibration, CalibrationKeys.Of(o.Category, o.Urgency, o.OptionKind), hour, riskKey),
            new ForecastCase(o.Category, o.Urgency, o.OptionKind, riskKey / 50.0, o.RiskLevel, hour + 0.5));
    }

    /// <param name="baseRisk">The outcome's risk before learned shifts under the parameter set's risk model.</param>
    public OptionForecast? For(OutcomeRecord o, SimulationCalibration? calibration, double baseRisk)
    {
        var (key, _) = Key(o, calibration, baseRisk);
        if (!_cache.TryGetValue(key, out var forecast))
        {
            Responses(o, calibration, baseRisk); // one simulation gives both
            forecast = _cache[key];
        }
        return forecast;
    }

    /// <summary>Parameter sets compare by reference: each run fits one candidate object.</summary>
    private sealed class KeyComparer : IEqualityComparer<(SimulationCalibration?, string, int, int)>
    {
        public bool Equals((SimulationCalibration?, string, int, int) x, (SimulationCalibration?, string, int, int) y) =>
            ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2 && x.Item3 == y.Item3 && x.Item4 == y.Item4;

        public int GetHashCode((SimulationCalibration?, string, int, int) k) =>
            HashCode.Combine(k.Item1 is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(k.Item1), k.Item2, k.Item3, k.Item4);
    }
}
