using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Decisions.Tests.Reference;

namespace ApartmentManager.Decisions.Tests;

/// <summary>The simulator's queue (the cached trajectory the engine reads, and the replay it replaced) against closed-form queueing results.</summary>
public class QueueingTheoryTests
{
    private const int Samples = 20_000;

    private static double MeanWait(ServicePool pool, ulong seed, bool replay)
    {
        var rng = new Xoshiro256(seed);
        Span<double> free = stackalloc double[pool.Servers];
        int firstDay = QueueTrajectory.FirstDay(ref rng);
        double sum = 0;
        for (int i = 0; i < Samples; i++)
        {
            // Arrival at a random time of day; with flat rates the answer must not depend on it.
            double t = rng.NextDouble() * 24;
            double start = replay ? ReplayMonteCarloEngine.QueueStart(pool, ref rng, t, free) : pool.Trajectory.Start(pool, t, firstDay, i);
            sum += start - t;
        }
        return sum / Samples;
    }

    [Theory]
    [InlineData(0.5, 1.0, false)]   // rho 0.5: Wq = 1 h
    [InlineData(0.8, 1.0, false)]   // rho 0.8: Wq = 4 h
    [InlineData(0.5, 1.0, true)]
    [InlineData(0.8, 1.0, true)]
    public void Mm1_mean_wait_matches_rho_over_mu_minus_lambda(double lambda, double mu, bool replay)
    {
        var pool = new ServicePool("mm1", 1, ServicePool.Flat(lambda), meanServiceHours: 1 / mu, serviceCv: 1.0, warmupHours: 400);
        double analytic = lambda / mu / (mu - lambda);

        double simulated = MeanWait(pool, seed: 42, replay);

        // Stated tolerance: 6 % of the analytic mean (the standard error at 20,000 samples is about 2–3 %).
        Assert.InRange(simulated, analytic * 0.94, analytic * 1.06);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mm2_mean_wait_matches_erlang_c(bool replay)
    {
        // lambda = 1.2/h, mu = 1/h, c = 2 → a = 1.2, rho = 0.6; Erlang C = 0.45; Wq = C / (c mu - lambda) = 0.5625 h.
        const double lambda = 1.2, mu = 1.0;
        const int c = 2;
        double a = lambda / mu, rho = a / c;
        double sum = 1 + a;
        double top = a * a / 2 / (1 - rho);
        double erlangC = top / (sum + top);
        double analytic = erlangC / (c * mu - lambda);
        var pool = new ServicePool("mm2", c, ServicePool.Flat(lambda), meanServiceHours: 1 / mu, serviceCv: 1.0, warmupHours: 300);

        double simulated = MeanWait(pool, seed: 5, replay);

        Assert.InRange(simulated, analytic * 0.92, analytic * 1.08);
    }

    [Fact]
    public void Jobs_wait_for_the_shift_to_start()
    {
        // Nothing else in the queue: a job at 20:00 for a 08:00–18:00 crew starts at 08:00 the next day.
        var pool = new ServicePool("day", 2, ServicePool.Flat(0), 1.0, shiftStartHour: 8, shiftEndHour: 18);
        var rng = new Xoshiro256(1);
        Span<double> free = stackalloc double[2];

        Assert.Equal(32, pool.Trajectory.Start(pool, 20, firstDay: 3, run: 0), 9);
        Assert.Equal(32, ReplayMonteCarloEngine.QueueStart(pool, ref rng, 20, free), 9);
    }

    [Fact]
    public void Escalation_probability_matches_the_constant_hazard()
    {
        // No crew, a fixed 6 h delay before anyone acts, hazard 0.05/h → P = 1 - e^-0.3 = 0.2592.
        var model = new OptionModel { StartDelay = new LogNormal(6, 6) };
        var summary = MonteCarloEngine.Run(model, new RunParameters(20_000, 3, 10, 0.05));

        double expected = 1 - Math.Exp(-0.3);
        double se = Math.Sqrt(expected * (1 - expected) / 20_000);
        Assert.InRange(summary.EscalationProbability, expected - 4 * se, expected + 4 * se);
        Assert.Equal(6, summary.ResponseP50, 9);
    }

    [Fact]
    public void Lognormal_quantiles_come_out_as_specified()
    {
        var model = new OptionModel { StartDelay = new LogNormal(10, 30) };
        var summary = MonteCarloEngine.Run(model, new RunParameters(40_000, 11, 0, 0));

        Assert.InRange(summary.ResolutionP50, 9.6, 10.4);
        Assert.InRange(summary.ResolutionP90, 28.5, 31.5);
    }

    [Fact]
    public void Same_seed_same_stream_different_seed_different_stream()
    {
        var a = new Xoshiro256(99);
        var b = new Xoshiro256(99);
        var c = new Xoshiro256(100);
        for (int i = 0; i < 100; i++)
        {
            ulong x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            Assert.NotEqual(x, c.NextUInt64());
        }
    }

    [Fact]
    public void Uniforms_have_the_right_mean_and_variance()
    {
        var rng = new Xoshiro256(2026);
        double sum = 0, sumSq = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0, 1);
            sum += u;
            sumSq += u * u;
        }
        double mean = sum / n;
        Assert.InRange(mean, 0.5 - 0.003, 0.5 + 0.003);
        Assert.InRange(sumSq / n - mean * mean, 1 / 12.0 - 0.002, 1 / 12.0 + 0.002);
    }
}
