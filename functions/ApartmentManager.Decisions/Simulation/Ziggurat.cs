using System.Runtime.CompilerServices;

namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// Standard normal draws by the ziggurat method (Marsaglia and Tsang, in Doornik's 2005 form with 256 layers): one
/// 64-bit random number per draw in about 99 % of draws (a layer from its low 8 bits, a signed uniform from its top 53)
/// and no logarithm, cosine or square root; the wedges and the tail beyond 3.65 take the exact slow path. Exactly the
/// normal distribution, like Box–Muller, which cost two random numbers and a log, a cos and a sqrt per draw.
/// </summary>
internal static class Ziggurat
{
    private const int Layers = 256;
    private const double R = 3.6541528853610088; // where the tail starts
    private const double V = 0.00492867323399; // each layer's area

    // X[i]: the right edge of layer i (X[0] the base layer's virtual width, X[Layers] = 0); Ratio[i] = X[i+1] / X[i].
    private static readonly double[] X = BuildEdges();
    private static readonly double[] Ratio = BuildRatios(X);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Normal(ref Xoshiro256 rng)
    {
        ulong bits = rng.NextUInt64();
        int layer = (int)(bits & (Layers - 1));
        double u = 2.0 * ((bits >> 11) * (1.0 / (1UL << 53))) - 1.0;
        double[] ratio = Ratio;
        if (Math.Abs(u) < ratio[layer])
        {
            return u * X[layer];
        }
        return Slow(ref rng, layer, u);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Slow(ref Xoshiro256 rng, int layer, double u)
    {
        while (true)
        {
            if (layer == 0)
            {
                // The tail beyond R (Marsaglia's method), on the side u fell.
                double x, y;
                do
                {
                    x = Math.Log(rng.NextOpenDouble()) / R;
                    y = Math.Log(rng.NextOpenDouble());
                }
                while (-2.0 * y < x * x);
                return u < 0 ? x - R : R - x;
            }
            // The wedge between the layer's rectangle and the curve: accept under the density.
            double v = u * X[layer];
            double f0 = Math.Exp(-0.5 * (X[layer] * X[layer] - v * v));
            double f1 = Math.Exp(-0.5 * (X[layer + 1] * X[layer + 1] - v * v));
            if (f1 + rng.NextDouble() * (f0 - f1) < 1.0)
            {
                return v;
            }
            ulong bits = rng.NextUInt64();
            layer = (int)(bits & (Layers - 1));
            u = 2.0 * ((bits >> 11) * (1.0 / (1UL << 53))) - 1.0;
            if (Math.Abs(u) < Ratio[layer])
            {
                return u * X[layer];
            }
        }
    }

    private static double[] BuildEdges()
    {
        var x = new double[Layers + 1];
        double f = Math.Exp(-0.5 * R * R);
        x[0] = V / f;
        x[1] = R;
        x[Layers] = 0;
        for (int i = 2; i < Layers; i++)
        {
            x[i] = Math.Sqrt(-2.0 * Math.Log(V / x[i - 1] + f));
            f = Math.Exp(-0.5 * x[i] * x[i]);
        }
        return x;
    }

    private static double[] BuildRatios(double[] x)
    {
        var ratio = new double[Layers];
        for (int i = 0; i < Layers; i++)
        {
            ratio[i] = x[i + 1] / x[i];
        }
        return ratio;
    }
}
