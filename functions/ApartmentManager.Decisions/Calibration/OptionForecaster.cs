using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Calibration;

/// <summary>One past (or hypothetical) decision to forecast: what was chosen for which request, and when.</summary>
/// <param name="RiskProbability">The risk probability the simulation saw (after any learned risk shift).</param>
/// <param name="StartHourOfDay">Hour of day (0–24) the option was carried out.</param>
public sealed record ForecastCase(Category Category, Urgency Urgency, string OptionKind, double RiskProbability, RiskLevel RiskLevel, double StartHourOfDay);

/// <summary>What the simulation predicts for one option (hours from the option being carried out).</summary>
/// <param name="ResponseP50Hours">Median time until someone is on site (or the resident acts).</param>
/// <param name="CostP50">Median cost (the point forecast with the least expected absolute error).</param>
/// <param name="ResponseMeanHours">Mean time until someone is on site (or the resident acts); <paramref name="ResponseP90Hours"/> its 90th percentile.</param>
public sealed record OptionForecast(
    double P50Hours,
    double P90Hours,
    double ResponseP50Hours,
    double ExpectedCost,
    double CostP50,
    double EscalationProbability,
    double ExpectedSatisfaction,
    double ResponseMeanHours = 0,
    double ResponseP90Hours = 0);

/// <summary>The priors of one option kind for a category and urgency: its work time and its satisfaction when resolved at once.</summary>
/// <param name="Pool">The crew pool that works it (null when nobody has to go anywhere), and its configured crew size.</param>
public sealed record OptionPrior(double WorkMedianHours, double WorkP90Hours, double SatisfactionBase, double HourlyRate, double CalloutCost,
    string? Pool = null, int PoolServers = 0);

/// <summary>
/// The simulation of one option kind outside the pipeline, with or without learned parameters: the learning engine
/// uses it to read the priors and to score parameter sets against outcomes. Same generators and engine as
/// <see cref="OptionSimulator"/>.
/// </summary>
public sealed class OptionForecaster(DecisionOptions policy)
{
    /// <summary>Forecasts the chosen option of <paramref name="c"/>; null when the generators would not offer that kind for it.</summary>
    /// <param name="responses">When given (at least <paramref name="runs"/> long), receives each run's time until someone is on site.</param>
    public OptionForecast? Forecast(ForecastCase c, SimulationCalibration? calibration, int runs = 400, ulong seed = 20261130, double[]? responses = null)
    {
        var template = Template(c.Category, c.Urgency, c.OptionKind, c.RiskProbability, c.RiskLevel);
        if (template is null)
        {
            return null;
        }
        template = CalibrationApplier.Apply(template, c.Category, c.Urgency, calibration);
        var parameters = new RunParameters(
            Math.Clamp(runs, 1, SimulationSettings.MaxRuns),
            Xoshiro256.DeriveSeed(seed, c.OptionKind),
            Math.Clamp(c.StartHourOfDay, 0, 23.999),
            OptionSimulator.HazardPerHour(c.RiskProbability, c.Urgency, policy));
        var s = MonteCarloEngine.Run(template.Model, parameters, responses);
        return new OptionForecast(s.ResolutionP50, s.ResolutionP90, s.ResponseP50, s.ExpectedCost, s.CostP50, s.EscalationProbability, s.ExpectedSatisfaction, s.ResponseMean, s.ResponseP90);
    }

    /// <summary>The configured priors of an option kind for a category and urgency; null when that kind is never offered for them.</summary>
    public OptionPrior? Prior(Category category, Urgency urgency, string optionKind)
    {
        var template = Template(category, urgency, optionKind, 0.4, RiskLevel.High);
        if (template is null)
        {
            return null;
        }
        var m = template.Model;
        return new OptionPrior(m.Work.Median, m.Work.P90, m.SatisfactionBase, m.HourlyRate, m.CalloutCost, m.Pool?.Name, m.Pool?.Servers ?? 0);
    }

    private OptionTemplate? Template(Category category, Urgency urgency, string optionKind, double risk, RiskLevel level)
    {
        // Evidence is given so a chargeback option exists to be forecast; the policy decides elsewhere whether it may be chosen.
        var context = new GenerationContext(category, urgency, Math.Clamp(risk, 0, 1), level, "", policy.Sla.For(urgency), policy,
            optionKind == OptionKinds.RepairWithChargeback ? ["outcome of a chargeback"] : []);
        foreach (var generator in OptionGenerators.All)
        {
            if (generator.Kind == optionKind)
            {
                return generator.Generate(context);
            }
        }
        return null;
    }
}
