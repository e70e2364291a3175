using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Decisions.Tests.Reference;

namespace ApartmentManager.Decisions.Tests;

/// <summary>The simulation's samplers: the inlined exp against the C library's, the ziggurat's normal against Box–Muller's.</summary>
public class SamplerTests
{
    [Fact]
    public void Inlined_exp_agrees_with_math_exp_to_a_few_units_in_the_last_place()
    {
        var rng = new Xoshiro256(11);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            double x = (rng.NextDouble() - 0.5) * (i % 10 == 0 ? 1398 : 40);
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(FastExp.Exp(x) - expected) / expected);
        }
        Assert.True(worst < 1e-15, $"largest relative difference {worst:E3}");
        Assert.Equal(1.0, FastExp.Exp(0));
        Assert.Equal(Math.E, FastExp.Exp(1), 15);
        Assert.Equal(0.0, FastExp.Exp(double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, FastExp.Exp(double.PositiveInfinity));
        Assert.True(double.IsNaN(FastExp.Exp(double.NaN)));
        Assert.Equal(Math.Exp(-745), FastExp.Exp(-745));
        Assert.Equal(Math.Exp(709.5), FastExp.Exp(709.5));
    }

    [Fact]
    public void Ziggurat_normal_has_the_distribution_box_muller_has()
    {
        const int n = 200_000;
        var zigRng = new Xoshiro256(5);
        var boxRng = new Xoshiro256(6);
        var zig = new double[n];
        var box = new double[n];
        for (int i = 0; i < n; i++)
        {
            zig[i] = zigRng.StandardNormal();
            box[i] = BoxMuller.StandardNormal(ref boxRng);
        }

        // Moments of a standard normal: mean 0 (se 1/√n), variance 1 (se √(2/n)), fourth moment 3 (se √(96/n)).
        double mean = zig.Average();
        double variance = zig.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double fourth = zig.Sum(v => v * v * v * v) / n;
        Assert.InRange(mean, -4.5 / Math.Sqrt(n), 4.5 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - 4.5 * Math.Sqrt(2.0 / n), 1 + 4.5 * Math.Sqrt(2.0 / n));
        Assert.InRange(fourth, 3 - 4.5 * Math.Sqrt(96.0 / n), 3 + 4.5 * Math.Sqrt(96.0 / n));

        // The tail beyond the base layer (|z| > 3.654, the ziggurat's slow path): 2.58e-4 of draws, about 52 here.
        int tail = zig.Count(v => Math.Abs(v) > 3.6541528853610088);
        Assert.InRange(tail, 52 - 4.5 * Math.Sqrt(52), 52 + 4.5 * Math.Sqrt(52));
        Assert.Contains(zig, v => v > 4.2);
        Assert.Contains(zig, v => v < -4.2);

        // Two-sample Kolmogorov–Smirnov against Box–Muller: the largest gap between the two empirical CDFs stays below
        // the 0.1 % critical value 1.95·√(2/n).
        Array.Sort(zig);
        Array.Sort(box);
        double gap = 0;
        int a = 0, b = 0;
        while (a < n && b < n)
        {
            if (zig[a] <= box[b])
            {
                a++;
            }
            else
            {
                b++;
            }
            gap = Math.Max(gap, Math.Abs(a - b) / (double)n);
        }
        Assert.True(gap < 1.95 * Math.Sqrt(2.0 / n), $"KS distance {gap:0.00000}");
    }
}
