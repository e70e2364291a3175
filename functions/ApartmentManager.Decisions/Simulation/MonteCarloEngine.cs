using System.Buffers;
using System.Numerics;
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
    /// Nearest-rank percentiles <paramref name="low"/> &lt; <paramref name="high"/> of unsorted values: the same values
    /// sorting would give (see <see cref="SelectRanks"/>).
    /// </summary>
    internal static (double Low, double High) Percentiles(Span<double> values, double low, double high)
    {
        Span<int> ranks = [Rank(values.Length, low), Rank(values.Length, high)];
        Span<double> found = stackalloc double[2];
        SelectRanks(values, ranks, found);
        return (found[0], found[1]);
    }

    /// <summary>Three nearest-rank percentiles <paramref name="low"/> &lt; <paramref name="mid"/> &lt; <paramref name="high"/>.</summary>
    internal static (double Low, double Mid, double High) Percentiles(Span<double> values, double low, double mid, double high)
    {
        Span<int> ranks = [Rank(values.Length, low), Rank(values.Length, mid), Rank(values.Length, high)];
        Span<double> found = stackalloc double[3];
        SelectRanks(values, ranks, found);
        return (found[0], found[1], found[2]);
    }

    private const int BucketBits = 11;

    /// <summary>
    /// The values of the given ascending ranks, by one histogram instead of a quickselect per rank (whose comparisons
    /// the processor mispredicted half the time): each value's bits, made order-preserving as an integer, put it in one
    /// of 2,048 buckets spanning the smallest to the largest value (about two buckets per octave of magnitude, finer when
    /// the values span less); the bucket holding a rank is found from the counts, and only its values are selected among.
    /// Three light passes over the values for up to three percentiles (5 quickselect passes before).
    /// </summary>
    internal static void SelectRanks(ReadOnlySpan<double> values, ReadOnlySpan<int> ranks, Span<double> found)
    {
        double min = values[0], max = values[0];
        bool nan = false;
        foreach (double v in values)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
            nan |= double.IsNaN(v);
        }
        ulong minKey = Key(min);
        ulong range = Key(max) - minKey;
        if (range == 0 || nan)
        {
            SelectBySorting(values, ranks, found);
            return;
        }
        int shift = Math.Max(0, 64 - BitOperations.LeadingZeroCount(range) - BucketBits);
        Span<int> counts = stackalloc int[(1 << BucketBits) + 1];
        counts.Clear();
        foreach (double v in values)
        {
            counts[(int)((Key(v) - minKey) >> shift)]++;
        }

        // The bucket of each rank and the rank within it.
        Span<int> bucketOf = stackalloc int[ranks.Length];
        Span<int> within = stackalloc int[ranks.Length];
        int bucket = 0, below = 0;
        for (int r = 0; r < ranks.Length; r++)
        {
            while (below + counts[bucket] <= ranks[r])
            {
                below += counts[bucket++];
            }
            bucketOf[r] = bucket;
            within[r] = ranks[r] - below;
        }

        Span<double> small = stackalloc double[512];
        for (int r = 0; r < ranks.Length; r++)
        {
            if (r > 0 && bucketOf[r] == bucketOf[r - 1])
            {
                continue; // gathered with the rank before it
            }
            int b = bucketOf[r];
            int size = counts[b];
            double[]? rented = size > small.Length ? ArrayPool<double>.Shared.Rent(size) : null;
            Span<double> members = (rented is null ? small : rented.AsSpan())[..size];
            int m = 0;
            foreach (double v in values)
            {
                if ((int)((Key(v) - minKey) >> shift) == b)
                {
                    members[m++] = v;
                }
            }
            for (int s = r; s < ranks.Length && bucketOf[s] == b; s++)
            {
                found[s] = Select(members, within[s]);
            }
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>All values equal, or NaN among them: the ranks of a sorted copy.</summary>
    private static void SelectBySorting(ReadOnlySpan<double> values, ReadOnlySpan<int> ranks, Span<double> found)
    {
        double[] copy = values.ToArray();
        Array.Sort(copy);
        for (int r = 0; r < ranks.Length; r++)
        {
            found[r] = copy[ranks[r]];
        }
    }

    /// <summary>A double's bits as an unsigned integer in the same order as the doubles (negatives flipped entirely, positives' sign bit set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(double v)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        ulong negative = (ulong)((long)bits >> 63); // all ones for a negative value
        return (bits ^ negative) | ((1UL << 63) & ~negative);
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
