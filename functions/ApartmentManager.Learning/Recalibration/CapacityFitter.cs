using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Risk;

namespace ApartmentManager.Learning.Recalibration;

/// <summary>One crew pool's learned size at one hour of day, and what it rests on.</summary>
/// <param name="ObservedMeanHours">Mean time from dispatch to someone on site of the outcomes.</param>
/// <param name="MaximumLikelihood">The crew size on the grid the outcomes alone favour most.</param>
/// <param name="Learned">The posterior mean crew size.</param>
public sealed record CapacityEstimate(string Pool, int Hour, int Outcomes, double ObservedMeanHours, int Configured, double MaximumLikelihood, double Learned);

/// <summary>
/// Crew size per pool and hour of day from observed queueing: outcomes whose option a pool works, grouped by the hour
/// they were dispatched, with their time from dispatch to someone on site. A Bayesian update on a grid of crew sizes
/// (0.25 to 1.5 times the configured size): the prior is a normal at the configured size (ServiceNetwork) with a
/// standard deviation of <see cref="LearningOptions.CapacityPriorSpread"/> times it; the likelihood of each outcome's
/// wait is a kernel density over the simulated waits (one per Monte Carlo run) with the pool's crew at that size (every hour at once: at these loads an hour's wait depends on that hour's crew); the learned size is the
/// posterior mean. Crew sizes below one mean someone works that hour on that share of days (see
/// <c>ServicePool.CapacityByHour</c>). Hours where the crew size makes no difference to the waits keep the configured size; groups of
/// fewer than <see cref="LearningOptions.CapacityMinimumOutcomes"/> outcomes keep it too.
/// </summary>
internal sealed class CapacityFitter(OptionForecaster forecaster, ForecastCache forecasts, LearningOptions options)
{
    internal static readonly double[] Scales = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5];
    private const double MinimumHours = 0.01;

    public (Dictionary<string, double[]> Capacity, List<CapacityEstimate> Estimates) Fit(IReadOnlyList<OutcomeRecord> train, SimulationCalibration timed, RiskBase risk)
    {
        var groups = new SortedDictionary<(string Pool, int Hour), List<OutcomeRecord>>();
        var configured = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in train)
        {
            if (o.ResponseHours is null || forecaster.Prior(o.Category, o.Urgency, o.OptionKind) is not { Pool: { } pool, PoolServers: > 0 } prior)
            {
                continue;
            }
            configured[pool] = prior.PoolServers;
            var key = (pool, Math.Clamp((int)o.HourOfDay, 0, 23));
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }
            list.Add(o);
        }

        var capacity = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var estimates = new List<CapacityEstimate>();
        foreach (var byPool in groups.Where(g => g.Value.Count >= options.CapacityMinimumOutcomes).GroupBy(g => g.Key.Pool))
        {
            int c0 = configured[byPool.Key];
            var sizes = Scales.Select(s => s * c0).ToArray();
            var variants = sizes.Select(c => c == c0 ? timed : timed with
            {
                CrewCapacity = new Dictionary<string, double[]>(StringComparer.Ordinal) { [byPool.Key] = Filled(c) },
            }).ToArray();
            double spread = options.CapacityPriorSpread * c0;
            var learned = Filled(c0);
            foreach (var ((pool, hour), outcomes) in byPool)
            {
                // log prior + log likelihood per grid point, then the posterior mean.
                var logPosterior = new double[sizes.Length];
                for (int g = 0; g < sizes.Length; g++)
                {
                    double z = (sizes[g] - c0) / spread;
                    logPosterior[g] = -0.5 * z * z;
                    foreach (var o in outcomes)
                    {
                        logPosterior[g] += forecasts.Responses(o, variants[g], risk.Of(o)) is { } r ? LogDensity(o.ResponseHours!.Value, r) : 0;
                    }
                }
                double max = logPosterior.Max();
                var weights = logPosterior.Select(l => Math.Exp(l - max)).ToArray();
                double mean = sizes.Select((c, g) => c * weights[g]).Sum() / weights.Sum();
                double mle = sizes[Enumerable.Range(0, sizes.Length).MaxBy(g => logPosterior[g] + 0.5 * Math.Pow((sizes[g] - c0) / spread, 2))];
                learned[hour] = Math.Round(mean, 4);
                estimates.Add(new CapacityEstimate(pool, hour, outcomes.Count, Math.Round(outcomes.Average(o => o.ResponseHours!.Value), 4), c0, mle, learned[hour]));
            }
            if (learned.Any(c => Math.Abs(c - c0) > 1e-3))
            {
                capacity[byPool.Key] = learned;
            }
        }
        return (capacity, estimates);
    }

    /// <summary>
    /// Log density of a wait under the simulated waits: a Gaussian kernel estimate on the log scale (Silverman's
    /// bandwidth, at least 0.1), mixed with a small floor so one wait the simulation never produced cannot rule a crew
    /// size out alone.
    /// </summary>
    internal static double LogDensity(double hours, double[] simulated)
    {
        double x = Math.Log(Math.Max(hours, MinimumHours));
        int n = simulated.Length;
        double mean = 0, squares = 0;
        for (int i = 0; i < n; i++)
        {
            double v = Math.Log(Math.Max(simulated[i], MinimumHours));
            mean += v;
            squares += v * v;
        }
        mean /= n;
        double sd = Math.Sqrt(Math.Max(0, squares / n - mean * mean));
        double h = Math.Max(0.1, 1.06 * sd * Math.Pow(n, -0.2));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double z = (x - Math.Log(Math.Max(simulated[i], MinimumHours))) / h;
            sum += Math.Exp(-0.5 * z * z);
        }
        double density = sum / (n * h * Math.Sqrt(2 * Math.PI));
        return Math.Log(0.99 * density + 0.01 * FloorDensity) - x; // per hour: the log-scale density over the wait
    }

    /// <summary>The floor: log-waits spread evenly over ±5 (20 minutes to six days around an hour).</summary>
    private const double FloorDensity = 0.1;

    private static double[] Filled(double c)
    {
        var a = new double[24];
        Array.Fill(a, c);
        return a;
    }
}
