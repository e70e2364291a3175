using System.Buffers;
using System.Runtime.CompilerServices;

namespace ApartmentManager.Decisions.Simulation;

/// <summary>What the runs of one option add up to. Hours are from the moment the request came in.</summary>
internal readonly record struct SimulationSummary(
    int Runs,
    double ResolutionP50,
    double ResolutionP90,
    double ResponseP50,
    double ResponseP90,
    double ExpectedCost,
    double CostP05,
    double CostP95,
    double EscalationProbability,
    double ExpectedSatisfaction,
    double CostP50 = 0,
    double ResponseMean = 0);

/// <summary>Inputs that do not belong to the option: how many runs, the stream, when the request arrived, how hazardous waiting is.</summary>
internal readonly record struct RunParameters(int Runs, ulong Seed, double StartHourOfDay, double HazardPerHour);

/// <summary>
/// A seeded Monte Carlo over a small discrete-event model. Each run meets the crew's queue as it stands when the
/// job arrives (FCFS over c servers, shift hours respected; read from the pool's cached <see cref="QueueTrajectory"/>,
/// a different day each run), then samples travel, work, parts delays, the escalation hazard over the waiting time,
/// cost and satisfaction. Allocation-free per run: structs, a pooled buffer and no LINQ; the percentiles are selected,
/// not sorted for.
/// </summary>
/// <remarks>
/// Until issue 12 each run replayed the 36 h of background work before the arrival (about 9 ms of CPU per request at
/// 2,000 runs per option); that engine is kept verbatim in the test project as the reference the cached one is held to.
/// </remarks>
internal static class MonteCarloEngine
{
    private const int BusinessStartHour = 8;
    private const int BusinessEndHour = 18;

    /// <param name="responses">When given (at least <c>Runs</c> long), receives each run's time until someone acts.</param>
    public static SimulationSummary Run(OptionModel model, in RunParameters parameters, double[]? responses = null)
    {
        int n = parameters.Runs;
        var rng = new Xoshiro256(parameters.Seed);
        double[] buffer = ArrayPool<double>.Shared.Rent(n * 3);
        try
        {
            Span<double> resolution = buffer.AsSpan(0, n);
            Span<double> response = buffer.AsSpan(n, n);
            Span<double> cost = buffer.AsSpan(2 * n, n);
            QueueTrajectory? trajectory = model.Pool?.Trajectory;
            int firstDay = trajectory is null ? 0 : QueueTrajectory.FirstDay(ref rng);
            double costSum = 0, satisfactionSum = 0, responseSum = 0;
            int escalations = 0;
            double start = parameters.StartHourOfDay;

            for (int i = 0; i < n; i++)
            {
                double runCost = model.FixedCost;
                double actStart; // when someone (or the resident) first acts on the issue
                double resolved;
                bool selfResolved = false;
                double bookedDelay = model.StartDelay.Sample(ref rng);

                if (model.SelfResolveProbability > 0)
                {
                    double selfTime = model.SelfHelpTime.Sample(ref rng);
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
                        double serviceStart = trajectory!.Start(pool, start + bookedDelay, firstDay, i);
                        workStart = serviceStart + model.Travel.Sample(ref rng);
                    }
                    else
                    {
                        workStart = start + bookedDelay;
                    }
                    actStart = workStart - start;
                    double work = model.Work.Sample(ref rng);
                    resolved = actStart + work;
                    double hour = HourOfDay(workStart);
                    double labourMultiplier = hour < BusinessStartHour || hour >= BusinessEndHour ? model.AfterHoursMultiplier : 1.0;
                    runCost += model.CalloutCost + model.HourlyRate * Math.Min(work, model.BilledHoursCap) * labourMultiplier;

                    if (model.PartsProbability > 0 && rng.Bernoulli(model.PartsProbability))
                    {
                        // Parts on order: wait for them, then a shorter second visit.
                        double secondVisit = model.Travel.Sample(ref rng) + 0.5 * model.Work.Sample(ref rng);
                        resolved += model.PartsDelay.Sample(ref rng) + secondVisit;
                        runCost += model.PartsCost.Sample(ref rng) + model.HourlyRate * Math.Min(secondVisit, model.BilledHoursCap);
                    }
                }

                // Escalation: a constant hazard while nobody acts (scaled by what the option contains meanwhile).
                double hazard = parameters.HazardPerHour * model.HazardMultiplier;
                bool escalated = hazard > 0 && rng.NextDouble() < 1 - FastExp.Exp(-hazard * actStart);
                double satisfaction = model.SatisfactionFloor
                    + (model.SatisfactionBase - model.SatisfactionFloor) * FastExp.Exp(-resolved / model.PatienceHours);
                if (escalated)
                {
                    escalations++;
                    runCost += model.EscalationCost.Sample(ref rng);
                    satisfaction -= model.EscalationSatisfactionPenalty;
                }

                resolution[i] = resolved;
                response[i] = actStart;
                responseSum += actStart;
                cost[i] = runCost;
                costSum += runCost;
                satisfactionSum += Math.Clamp(satisfaction, 0, 1);
            }

            if (responses is not null)
            {
                response.CopyTo(responses);
            }
            var (resolutionP50, resolutionP90) = Percentiles(resolution, 0.50, 0.90);
            var (responseP50, responseP90) = Percentiles(response, 0.50, 0.90);
            var (costP05, costP50, costP95) = Percentiles(cost, 0.05, 0.50, 0.95);
            return new SimulationSummary(
                n,
                resolutionP50,
                resolutionP90,
                responseP50,
                responseP90,
                costSum / n,
                costP05,
                costP95,
                (double)escalations / n,
                satisfactionSum / n,
                costP50,
                responseSum / n);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ServiceTime(ServicePool pool, ref Xoshiro256 rng) =>
        pool.ServiceCv == 1.0
            ? rng.Exponential(pool.MeanServiceHours)
            : Math.Exp(pool.ServiceMu + pool.ServiceSigma * rng.StandardNormal());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double OnShift(ServicePool pool, double t)
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
    internal static int ArgMin(Span<double> values)
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

    /// <summary>
    /// Nearest-rank percentiles <paramref name="low"/> &lt; <paramref name="high"/> of unsorted values, by selection
    /// (O(n), where sorting was O(n log n)); the same values sorting would give. Reorders <paramref name="values"/>.
    /// </summary>
    internal static (double Low, double High) Percentiles(Span<double> values, double low, double high)
    {
        int lo = Rank(values.Length, low);
        double lowValue = Select(values, lo);
        int hi = Rank(values.Length, high);
        // After selecting, everything after index lo is at least the low value: the high one is among them, so the
        // second selection reads only that part (half the values for a median and a p90, where the whole was read twice).
        double highValue = hi == lo ? lowValue : Select(values[(lo + 1)..], hi - lo - 1);
        return (lowValue, highValue);
    }

    /// <summary>Three nearest-rank percentiles <paramref name="low"/> &lt; <paramref name="mid"/> &lt; <paramref name="high"/>: the middle one selected first, the others each in their own side of it.</summary>
    internal static (double Low, double Mid, double High) Percentiles(Span<double> values, double low, double mid, double high)
    {
        int m = Rank(values.Length, mid);
        double midValue = Select(values, m);
        int lo = Rank(values.Length, low);
        int hi = Rank(values.Length, high);
        double lowValue = lo == m ? midValue : Select(values[..m], lo);
        double highValue = hi == m ? midValue : Select(values[(m + 1)..], hi - m - 1);
        return (lowValue, midValue, highValue);
    }

    private static int Rank(int length, double p) => Math.Clamp((int)Math.Ceiling(p * length) - 1, 0, length - 1);

    /// <summary>Quickselect (Hoare partition, median of three): the k-th smallest, with smaller values before it.</summary>
    internal static double Select(Span<double> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            int mid = left + ((right - left) >> 1);
            if (a[mid] < a[left])
            {
                (a[mid], a[left]) = (a[left], a[mid]);
            }
            if (a[right] < a[left])
            {
                (a[right], a[left]) = (a[left], a[right]);
            }
            if (a[right] < a[mid])
            {
                (a[right], a[mid]) = (a[mid], a[right]);
            }
            double pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }
                while (a[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }
        return a[k];
    }
}
