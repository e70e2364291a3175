using System.Buffers;
using System.Runtime.CompilerServices;

using ApartmentManager.Decisions.Simulation;

namespace ApartmentManager.Decisions.Tests.Reference;

// The simulation engine as it was before issue 12, kept verbatim (only renamed) as the reference the cached-warm-up
// engine is held to: every run replays the crew's queue for the 36 h before the job arrives. Its normal draws stay
// Box–Muller with the C library's exp (BoxMuller below, the samplers as they were) where the engine now uses the
// ziggurat and an inlined exp: the test holds the new samplers to the old ones too.

/// <summary>
/// A seeded Monte Carlo over a small discrete-event model. Each run replays the crew's queue from a warm-up
/// point to the request's arrival (FCFS over c servers, shift hours respected), then samples travel, work,
/// parts delays, the escalation hazard over the waiting time, cost and satisfaction. Allocation-free per run:
/// structs, a pooled buffer, stackalloc'd server clocks and no LINQ.
/// </summary>
internal static class ReplayMonteCarloEngine
{
    private const int BusinessStartHour = 8;
    private const int BusinessEndHour = 18;

    public static SimulationSummary Run(OptionModel model, in RunParameters parameters)
    {
        int n = parameters.Runs;
        var rng = new Xoshiro256(parameters.Seed);
        double[] buffer = ArrayPool<double>.Shared.Rent(n * 3);
        try
        {
            Span<double> resolution = buffer.AsSpan(0, n);
            Span<double> response = buffer.AsSpan(n, n);
            Span<double> cost = buffer.AsSpan(2 * n, n);
            Span<double> free = stackalloc double[16];
            double costSum = 0, satisfactionSum = 0;
            int escalations = 0;
            double start = parameters.StartHourOfDay;

            for (int i = 0; i < n; i++)
            {
                double runCost = model.FixedCost;
                double actStart; // when someone (or the resident) first acts on the issue
                double resolved;
                bool selfResolved = false;
                double bookedDelay = BoxMuller.Sample(model.StartDelay, ref rng);

                if (model.SelfResolveProbability > 0)
                {
                    double selfTime = BoxMuller.Sample(model.SelfHelpTime, ref rng);
                    if (rng.Bernoulli(model.SelfResolveProbability))
                    {
                        selfResolved = true;
                        actStart = selfTime;
                        resolved = selfTime;
                    }
                    else
                    {
                        // The follow-up catches failed self-help: a visit booked that many hours out.
                        bookedDelay = Math.Max(bookedDelay, model.FollowUpHours);
                        actStart = resolved = 0;
                    }
                }
                else
                {
                    actStart = resolved = 0;
                }

                if (!selfResolved)
                {
                    double workStart;
                    if (model.Pool is { } pool)
                    {
                        double serviceStart = QueueStart(pool, ref rng, start + bookedDelay, free[..pool.Servers]);
                        workStart = serviceStart + BoxMuller.Sample(model.Travel, ref rng);
                    }
                    else
                    {
                        workStart = start + bookedDelay;
                    }
                    actStart = workStart - start;
                    double work = BoxMuller.Sample(model.Work, ref rng);
                    resolved = actStart + work;
                    double hour = HourOfDay(workStart);
                    double labourMultiplier = hour < BusinessStartHour || hour >= BusinessEndHour ? model.AfterHoursMultiplier : 1.0;
                    runCost += model.CalloutCost + model.HourlyRate * Math.Min(work, model.BilledHoursCap) * labourMultiplier;

                    if (model.PartsProbability > 0 && rng.Bernoulli(model.PartsProbability))
                    {
                        // Parts on order: wait for them, then a shorter second visit.
                        double secondVisit = BoxMuller.Sample(model.Travel, ref rng) + 0.5 * BoxMuller.Sample(model.Work, ref rng);
                        resolved += BoxMuller.Sample(model.PartsDelay, ref rng) + secondVisit;
                        runCost += BoxMuller.Sample(model.PartsCost, ref rng) + model.HourlyRate * Math.Min(secondVisit, model.BilledHoursCap);
                    }
                }

                // Escalation: a constant hazard while nobody acts (scaled by what the option contains meanwhile).
                double hazard = parameters.HazardPerHour * model.HazardMultiplier;
                bool escalated = hazard > 0 && rng.NextDouble() < 1 - Math.Exp(-hazard * actStart);
                double satisfaction = model.SatisfactionFloor
                    + (model.SatisfactionBase - model.SatisfactionFloor) * Math.Exp(-resolved / model.PatienceHours);
                if (escalated)
                {
                    escalations++;
                    runCost += BoxMuller.Sample(model.EscalationCost, ref rng);
                    satisfaction -= model.EscalationSatisfactionPenalty;
                }

                resolution[i] = resolved;
                response[i] = actStart;
                cost[i] = runCost;
                costSum += runCost;
                satisfactionSum += Math.Clamp(satisfaction, 0, 1);
            }

            resolution.Sort();
            response.Sort();
            cost.Sort();
            return new SimulationSummary(
                n,
                Percentile(resolution, 0.50),
                Percentile(resolution, 0.90),
                Percentile(response, 0.50),
                Percentile(response, 0.90),
                costSum / n,
                Percentile(cost, 0.05),
                Percentile(cost, 0.95),
                (double)escalations / n,
                satisfactionSum / n);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Replays the pool's queue from <see cref="ServicePool.WarmupHours"/> before <paramref name="arrival"/> and returns
    /// when a job arriving then starts service (FCFS: the server that frees first takes the next job; jobs only start
    /// on shift). Background arrivals come from a non-homogeneous Poisson process drawn by thinning. Only the window
    /// before the arrival is replayed: under FCFS later arrivals cannot delay the job.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double QueueStart(ServicePool pool, ref Xoshiro256 rng, double arrival, Span<double> free)
    {
        double t = arrival - pool.WarmupHours;
        free.Fill(t);
        double maxRate = pool.MaxArrivalRate;
        if (maxRate > 0)
        {
            double meanGap = 1.0 / maxRate;
            double[] rates = pool.ArrivalsPerHour;
            while (true)
            {
                t += rng.Exponential(meanGap);
                if (t >= arrival)
                {
                    break;
                }
                if (rng.NextDouble() * maxRate >= rates[(int)HourOfDay(t)])
                {
                    continue;
                }
                int k = ArgMin(free);
                double begin = OnShift(pool, Math.Max(t, free[k]));
                free[k] = begin + ServiceTime(pool, ref rng);
            }
        }
        int slot = ArgMin(free);
        return OnShift(pool, Math.Max(arrival, free[slot]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ServiceTime(ServicePool pool, ref Xoshiro256 rng) =>
        pool.ServiceCv == 1.0
            ? rng.Exponential(pool.MeanServiceHours)
            : Math.Exp(pool.ServiceMu + pool.ServiceSigma * BoxMuller.StandardNormal(ref rng));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double OnShift(ServicePool pool, double t)
    {
        if (pool.AlwaysOnShift)
        {
            return t;
        }
        double h = HourOfDay(t);
        if (h >= pool.ShiftStartHour && h < pool.ShiftEndHour)
        {
            return t;
        }
        return h < pool.ShiftStartHour ? t + (pool.ShiftStartHour - h) : t + (24 - h + pool.ShiftStartHour);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double HourOfDay(double t)
    {
        double h = t - 24.0 * Math.Floor(t / 24.0);
        return h >= 24.0 ? 0 : h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMin(Span<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The samplers as they were before the ziggurat: Box–Muller (one of the pair discarded) and <see cref="Math.Exp"/>.</summary>
internal static class BoxMuller
{
    public static double StandardNormal(ref Xoshiro256 rng)
    {
        double u1 = rng.NextOpenDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Sample(LogNormal d, ref Xoshiro256 rng) =>
        double.IsNegativeInfinity(d.Mu) ? 0 : d.Sigma == 0 ? Math.Exp(d.Mu) : Math.Exp(d.Mu + d.Sigma * StandardNormal(ref rng));
}
