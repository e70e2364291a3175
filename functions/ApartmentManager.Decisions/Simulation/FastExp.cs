using System.Runtime.CompilerServices;

namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// e^x inlined in managed code for the simulation's hot loop (the C library's <c>exp</c>, reached through a call per
/// draw, was a fifth of the simulation's CPU): x = (k + j/64)·ln 2 + r with |r| ≤ ln 2 / 128, e^x = 2^k · 2^(j/64) ·
/// e^r, 2^(j/64) from a table and e^r from its Taylor polynomial to r⁵ (truncation below 4·10⁻¹⁷ relative). Within a
/// few units in the last place of <see cref="Math.Exp"/>; outside |x| &lt; 700 (overflow, subnormals, NaN) it defers to it.
/// </summary>
internal static class FastExp
{
    private const int TableBits = 6;
    private const int TableSize = 1 << TableBits;
    private const double InvLn2N = TableSize / 0.6931471805599453094172321;
    // ln 2 / 64 in two parts: the high part has 32 significant bits, so k · high is exact for |k| < 2^21.
    private const double Ln2HiN = 6.93147180369123816490e-01 / TableSize;
    private const double Ln2LoN = 1.90821492927058770002e-10 / TableSize;

    private static readonly double[] Powers = BuildPowers();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (!(Math.Abs(x) < 700.0))
        {
            return Math.Exp(x);
        }
        double kf = Math.Round(x * InvLn2N);
        long k = (long)kf;
        double r = x - kf * Ln2HiN - kf * Ln2LoN;
        double p = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))));
        double table = Powers[(int)(k & (TableSize - 1))];
        double scale = BitConverter.Int64BitsToDouble(((k >> TableBits) + 1023) << 52);
        return (table + table * p) * scale;
    }

    private static double[] BuildPowers()
    {
        var powers = new double[TableSize];
        for (int j = 0; j < TableSize; j++)
        {
            powers[j] = Math.Pow(2.0, (double)j / TableSize);
        }
        return powers;
    }
}
