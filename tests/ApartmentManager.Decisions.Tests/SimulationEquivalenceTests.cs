using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Decisions.Tests.Reference;
using ApartmentManager.Domain;
using Xunit.Abstractions;

namespace ApartmentManager.Decisions.Tests;

/// <summary>
/// The engine with the cached warm-up state against the engine it replaced (kept verbatim as
/// <see cref="ReplayMonteCarloEngine"/>): for every option of a spread of requests, over a fixed set of seeds at the
/// production 2,000 runs per option, the mean of each estimate (resolution p50 and p90, response p90, expected cost,
/// cost p95, escalation probability) must agree within 4.5 standard errors, the standard error measured from the
/// seed-to-seed spread of both engines. The seeds are fixed, so the test is deterministic.
/// </summary>
public class SimulationEquivalenceTests(ITestOutputHelper output)
{
    private const int Runs = 2000;
    private const int Seeds = 16;
    private const double Tolerance = 4.5;

    public static TheoryData<Category, Urgency, double, int> Requests => new()
    {
        { Category.Plumbing, Urgency.Emergency, 0.85, 2 },
        { Category.Plumbing, Urgency.Normal, 0.30, 10 },
        { Category.Hvac, Urgency.High, 0.55, 17 },
        { Category.Electrical, Urgency.Normal, 0.25, 21 },
        { Category.Appliance, Urgency.Low, 0.10, 9 },
        { Category.Pest, Urgency.Normal, 0.20, 14 },
        { Category.Billing, Urgency.Normal, 0.15, 11 },
        { Category.NoiseNeighbor, Urgency.Low, 0.10, 23 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Cached_warm_up_gives_the_replayed_estimates_within_their_monte_carlo_error(Category category, Urgency urgency, double risk, int hour)
    {
        var policy = new DecisionOptions();
        var request = TestRequests.Make(category, urgency, risk, risk > 0.5 ? RiskLevel.High : RiskLevel.Low,
            at: new DateTimeOffset(2026, 11, 18, hour, 30, 0, TimeSpan.Zero));
        var templates = OptionGenerators.GenerateAll(OptionSimulator.CreateContext(request, policy));
        Assert.NotEmpty(templates);
        double worst = 0;
        foreach (var template in templates)
        {
            var reference = new List<SimulationSummary>(Seeds);
            var cached = new List<SimulationSummary>(Seeds);
            for (int s = 0; s < Seeds; s++)
            {
                var parameters = OptionSimulator.StreamFor(
                    OptionSimulator.CreateParameters(request, new SimulationSettings(Runs, Seed: (ulong)(1000 + s)), policy), template.Kind);
                reference.Add(ReplayMonteCarloEngine.Run(template.Model, parameters));
                cached.Add(MonteCarloEngine.Run(template.Model, parameters));
            }
            foreach (var (name, pick) in Estimates)
            {
                var (refMean, refVar) = MeanAndVariance(reference, pick);
                var (newMean, newVar) = MeanAndVariance(cached, pick);
                double se = Math.Sqrt(refVar / Seeds + newVar / Seeds);
                double difference = Math.Abs(newMean - refMean);
                double z = se > 0 ? difference / se : 0;
                worst = Math.Max(worst, z);
                output.WriteLine($"{template.Kind,-28} {name,-22} replay {refMean,10:0.000}  cached {newMean,10:0.000}  se {se,8:0.0000}  z {z,5:0.00}");
                Assert.True(se > 0 ? z <= Tolerance : difference <= 1e-9 * Math.Max(1, Math.Abs(refMean)),
                    $"{category}/{urgency} {template.Kind} {name}: replay {refMean:0.0000}, cached {newMean:0.0000}, standard error {se:0.0000} (z = {z:0.00})");
            }
        }
        output.WriteLine($"largest z: {worst:0.00}");
    }

    [Fact]
    public void Selected_percentiles_equal_sorted_ones()
    {
        var rng = new Xoshiro256(77);
        foreach (int n in new[] { 1, 2, 3, 10, 101, 2000, 4097 })
        {
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                // Ties on purpose: many runs share a value (no wait, a fixed cost).
                values[i] = rng.NextDouble() < 0.3 ? 5 : Math.Round(rng.NextDouble() * 20, 1);
            }
            var sorted = values.Order().ToArray();
            foreach (var (low, high) in new[] { (0.5, 0.9), (0.05, 0.95), (0.9, 0.9) })
            {
                var (lo, hi) = MonteCarloEngine.Percentiles(values.ToArray(), low, high);
                Assert.Equal(sorted[Math.Clamp((int)Math.Ceiling(low * n) - 1, 0, n - 1)], lo);
                Assert.Equal(sorted[Math.Clamp((int)Math.Ceiling(high * n) - 1, 0, n - 1)], hi);
            }
        }
    }

    private static readonly (string Name, Func<SimulationSummary, double> Pick)[] Estimates =
    [
        ("resolution p50", s => s.ResolutionP50),
        ("resolution p90", s => s.ResolutionP90),
        ("response p90", s => s.ResponseP90),
        ("expected cost", s => s.ExpectedCost),
        ("cost p95", s => s.CostP95),
        ("escalation probability", s => s.EscalationProbability),
    ];

    private static (double Mean, double Variance) MeanAndVariance(List<SimulationSummary> summaries, Func<SimulationSummary, double> pick)
    {
        double mean = summaries.Average(pick);
        double variance = summaries.Sum(s => (pick(s) - mean) * (pick(s) - mean)) / (summaries.Count - 1);
        return (mean, variance);
    }
}
