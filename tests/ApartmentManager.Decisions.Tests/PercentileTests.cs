using ApartmentManager.Decisions.Simulation;

namespace ApartmentManager.Decisions.Tests;

/// <summary>The simulation's percentile selection (histogram of order-preserving bits, then a selection in one bucket) against sorting.</summary>
public class PercentileTests
{
    public static TheoryData<string> Shapes => new() { "ties", "lognormal", "outlier", "negative", "constant", "tiny" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Selected_percentiles_equal_the_sorted_ones(string shape)
    {
        var rng = new Xoshiro256(91);
        foreach (int n in new[] { 1, 2, 3, 7, 100, 2000, 5000 })
        {
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = shape switch
                {
                    "ties" => rng.NextDouble() < 0.4 ? 0 : Math.Round(rng.NextDouble() * 20, 1), // many runs share a value
                    "lognormal" => Math.Exp(1.5 * rng.StandardNormal()),
                    "outlier" => i == n / 2 ? 1e12 : 5 + rng.NextDouble(), // one value far out: nearly all in one bucket
                    "negative" => rng.StandardNormal() * 100,
                    "constant" => 42,
                    _ => rng.NextDouble() * 1e-300,
                };
            }
            var before = values.ToArray();
            var sorted = values.Order().ToArray();
            double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * n) - 1, 0, n - 1)];

            var (p50, p90) = MonteCarloEngine.Percentiles(values, 0.50, 0.90);
            Assert.Equal(At(0.50), p50);
            Assert.Equal(At(0.90), p90);
            var (p05, mid, p95) = MonteCarloEngine.Percentiles(values, 0.05, 0.50, 0.95);
            Assert.Equal(At(0.05), p05);
            Assert.Equal(At(0.50), mid);
            Assert.Equal(At(0.95), p95);
            Assert.Equal(before, values); // the runs' values are left as they were
        }
    }
}
