using System.Runtime.CompilerServices;

namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// xoshiro256** (Blackman and Vigna): small, fast, and good enough for Monte Carlo. A mutable struct on purpose —
/// pass it by ref; copying it forks the stream.
/// </summary>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256(ulong seed)
    {
        // SplitMix64 spreads any seed (even 0) over the whole state, as the authors recommend.
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exponential(double mean) => -mean * Math.Log(NextOpenDouble());

    /// <summary>Standard normal, by the ziggurat method (<see cref="Ziggurat"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double StandardNormal() => Ziggurat.Normal(ref this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>Derives an independent stream seed from a base seed and a stable label (FNV-1a, not string.GetHashCode, which is randomised per process).</summary>
    public static ulong DeriveSeed(ulong seed, string label)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in label)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        ulong x = seed ^ h;
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
