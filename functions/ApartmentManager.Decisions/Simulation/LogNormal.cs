using System.Runtime.CompilerServices;

namespace ApartmentManager.Decisions.Simulation;

/// <summary>A log-normal duration or amount given by its median and its p90 (the way dispatchers quote them).</summary>
internal readonly struct LogNormal
{
    private const double Z90 = 1.2815515655446004;

    public LogNormal(double median, double p90)
    {
        if (median <= 0)
        {
            Mu = double.NegativeInfinity;
            Sigma = 0;
            return;
        }
        Mu = Math.Log(median);
        Sigma = p90 > median ? Math.Log(p90 / median) / Z90 : 0;
    }

    public double Mu { get; }
    public double Sigma { get; }

    public static LogNormal Zero => new(0, 0);

    public double Mean => double.IsNegativeInfinity(Mu) ? 0 : Math.Exp(Mu + Sigma * Sigma / 2);

    public double Median => double.IsNegativeInfinity(Mu) ? 0 : Math.Exp(Mu);

    public double P90 => double.IsNegativeInfinity(Mu) ? 0 : Math.Exp(Mu + Z90 * Sigma);

    /// <summary>The same shape, every value multiplied by <paramref name="factor"/>.</summary>
    public LogNormal Scaled(double factor) => new(Median * factor, P90 * factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sample(ref Xoshiro256 rng) =>
        double.IsNegativeInfinity(Mu) ? 0 : Sigma == 0 ? Math.Exp(Mu) : FastExp.Exp(Mu + Sigma * rng.StandardNormal());
}
