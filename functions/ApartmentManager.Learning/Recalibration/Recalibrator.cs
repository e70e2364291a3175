using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Domain;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Risk;

namespace ApartmentManager.Learning.Recalibration;

/// <summary>
/// Fits a candidate parameter set to training outcomes, always starting from the configured priors (a run sees every
/// outcome so far, so priors + all outcomes is the whole posterior):
/// <list type="bullet">
/// <item>work time of the first visit per category × urgency × option kind: a normal update of the log-normal's log-mean
/// and log-variance, the prior counting as <see cref="LearningOptions.PriorWeight"/> outcomes;</item>
/// <item>escalation: a portfolio-wide and a per-building shift of the risk model's log-odds, each the maximum a
/// posteriori estimate under a normal prior at 0 worth <see cref="LearningOptions.RiskPriorWeight"/> outcomes;</item>
/// <item>cost per category × urgency × option kind: the factor on call-out, labour and parts that gives the simulated
/// median cost (with the learned times and risk) the least absolute error, shrunk towards 1;</item>
/// <item>crew size per pool and hour of day from the observed waits for someone on site (<see cref="CapacityFitter"/>);</item>
/// <item>satisfaction per option kind: the residents' ratings (less reopenings) against the simulated satisfaction,
/// shrunk towards no change.</item>
/// </list>
/// </summary>
internal sealed class Recalibrator(OptionForecaster forecaster, ForecastCache forecasts, LearningOptions options)
{
    private const double Z90 = 1.2815515655446004;
    private const double MinimumHours = 0.01;

    /// <param name="risk">Each outcome's risk under the candidate's risk model (retrained or carried over), before learned shifts.</param>
    /// <summary>The crew sizes the last <see cref="Fit"/> estimated, per pool and hour with enough outcomes.</summary>
    public IReadOnlyList<CapacityEstimate> CapacityEstimates { get; private set; } = [];

    public SimulationCalibration Fit(string version, IReadOnlyList<OutcomeRecord> train, RiskBase risk)
    {
        var work = FitWork(train);
        var (portfolio, buildings) = FitRisk(train, risk);
        var timed = new SimulationCalibration(version, work, new Dictionary<string, double>(), new Dictionary<string, double>(), buildings, portfolio);
        var (capacity, estimates) = new CapacityFitter(forecaster, forecasts, options).Fit(train, timed, risk);
        CapacityEstimates = estimates;
        if (capacity.Count > 0)
        {
            timed = timed with { CrewCapacity = capacity };
        }

        var costs = new Dictionary<string, List<(double Ratio, double Weight)>>(StringComparer.Ordinal);
        var satisfaction = new Dictionary<string, (double Sum, int N)>();
        foreach (var o in train)
        {
            if (forecasts.For(o, timed, risk.Of(o)) is not { } f)
            {
                continue;
            }
            if (o.ActualCost is { } actual && f.CostP50 > 0)
            {
                var key = CalibrationKeys.Of(o.Category, o.Urgency, o.OptionKind);
                if (!costs.TryGetValue(key, out var ratios))
                {
                    costs[key] = ratios = [];
                }
                ratios.Add((actual / f.CostP50, f.CostP50));
            }
            if (o.Satisfaction is { } observed)
            {
                var (sum, n) = satisfaction.GetValueOrDefault(o.OptionKind);
                satisfaction[o.OptionKind] = (sum + observed - f.ExpectedSatisfaction, n + 1);
            }
        }
        double n0 = options.PriorWeight;
        // The factor with the least absolute error of the median cost (a weighted median of actual / simulated), shrunk towards 1.
        var costFactor = costs.ToDictionary(kv => kv.Key, kv => (n0 + kv.Value.Count * WeightedMedian(kv.Value)) / (n0 + kv.Value.Count), StringComparer.Ordinal);
        var satisfactionShift = satisfaction.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / (n0 + kv.Value.N), StringComparer.Ordinal);
        return timed with { CostFactor = costFactor, SatisfactionShift = satisfactionShift };
    }

    private static double WeightedMedian(List<(double Ratio, double Weight)> values)
    {
        values.Sort((a, b) => a.Ratio.CompareTo(b.Ratio));
        double half = values.Sum(v => v.Weight) / 2, running = 0;
        foreach (var (ratio, weight) in values)
        {
            running += weight;
            if (running >= half)
            {
                return ratio;
            }
        }
        return values[^1].Ratio;
    }

    internal Dictionary<string, LearnedDuration> FitWork(IReadOnlyList<OutcomeRecord> train)
    {
        var work = new Dictionary<string, LearnedDuration>(StringComparer.Ordinal);
        double n0 = options.PriorWeight;
        foreach (var group in train.Where(o => o.FirstVisitHours is > MinimumHours).GroupBy(o => (o.Category, o.Urgency, o.OptionKind)))
        {
            if (forecaster.Prior(group.Key.Category, group.Key.Urgency, group.Key.OptionKind) is not { WorkMedianHours: > 0 } prior)
            {
                continue;
            }
            double mu0 = Math.Log(prior.WorkMedianHours);
            double sigma0 = prior.WorkP90Hours > prior.WorkMedianHours ? Math.Log(prior.WorkP90Hours / prior.WorkMedianHours) / Z90 : 0;
            var logs = group.Select(o => Math.Log(o.FirstVisitHours!.Value)).ToList();
            double n = logs.Count;
            double mean = logs.Average();
            double squares = logs.Sum(x => (x - mean) * (x - mean));
            double mu = (n0 * mu0 + n * mean) / (n0 + n);
            double sigma = Math.Sqrt((n0 * sigma0 * sigma0 + squares) / (n0 + n));
            work[CalibrationKeys.Of(group.Key.Category, group.Key.Urgency, group.Key.OptionKind)] =
                new LearnedDuration(Math.Exp(mu), Math.Exp(mu + Z90 * sigma), n0 + n);
        }
        return work;
    }

    internal (double Portfolio, Dictionary<string, double> Buildings) FitRisk(IReadOnlyList<OutcomeRecord> train, RiskBase risk)
    {
        var buildings = new Dictionary<string, double>(StringComparer.Ordinal);
        if (train.Count == 0)
        {
            return (0, buildings);
        }
        double mean = Math.Clamp(train.Average(risk.Of), 0.01, 0.99);
        // The prior's precision: RiskPriorWeight outcomes' worth of Fisher information at the mean risk.
        double precision = options.RiskPriorWeight * mean * (1 - mean);
        var logits = train.Select(o => Logit(risk.Of(o))).ToArray();
        var labels = train.Select(o => o.Escalated ? 1.0 : 0.0).ToArray();
        double portfolio = Shift(logits, labels, Enumerable.Range(0, train.Count), 0, precision);
        foreach (var group in Enumerable.Range(0, train.Count).GroupBy(i => UnitAddress.NormalizeBuilding(train[i].Building)))
        {
            double shift = Shift(logits, labels, group, portfolio, precision);
            if (Math.Abs(shift) > 1e-4)
            {
                buildings[group.Key] = Math.Round(shift, 6);
            }
        }
        return (Math.Round(portfolio, 6), buildings);
    }

    /// <summary>Newton's method for the shift δ maximising Σ log-likelihood(logit + offset + δ) − precision·δ²/2.</summary>
    private static double Shift(double[] logits, double[] labels, IEnumerable<int> rows, double offset, double precision)
    {
        var index = rows.ToArray();
        double delta = 0;
        for (int iteration = 0; iteration < 50; iteration++)
        {
            double gradient = -precision * delta, curvature = precision;
            foreach (int i in index)
            {
                double p = 1 / (1 + Math.Exp(-(logits[i] + offset + delta)));
                gradient += labels[i] - p;
                curvature += p * (1 - p);
            }
            double step = gradient / curvature;
            delta += Math.Clamp(step, -2, 2);
            if (Math.Abs(step) < 1e-9)
            {
                break;
            }
        }
        return delta;
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }
}
