namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// The cached warm-up state of a <see cref="ServicePool"/>: one long run of its background work (<see cref="Days"/> days
/// after a burn-in, FCFS over its servers, shift hours respected), recorded as, for every background job, when it arrived
/// and when the first server is free after it. A job arriving at hour-of-day <c>h</c> on day <c>d</c> meets exactly the
/// queue that replaying the background arrivals before it would build, so the start of service is one lookup instead of
/// a replay of the 36 h before each run.
/// </summary>
/// <remarks>
/// Each run takes a different day of the trajectory (consecutive days from a random start: without replacement for up
/// to <see cref="Days"/> runs), so the runs of one option meet as many days as the replay drew fresh ones. Consecutive
/// days, not days far apart: the runs then read the trajectory in order (the processor's cache and prefetcher serve it)
/// where a stride across its 5 MB missed the cache on every run and cost about 1 ms of CPU per request. A day's queue
/// hardly depends on the day before (each shift clears the previous one's backlog), so the days are as good as
/// independent either way. The trajectory is stationary where the replay started every run empty 36 h earlier; at these
/// loads each shift clears the previous one's backlog, so both give the same queue (the equivalence test measures it).
/// Built once per pool and process from a seed derived from the pool's name: the same seed and inputs still give the
/// same numbers. About 40 background jobs a day over all pools: 16,384 days take about 5 MB and 50 ms to build.
/// </remarks>
internal sealed class QueueTrajectory
{
    public const int Days = 16_384;
    private const int BurnInDays = 4;
    private const ulong TrajectorySeed = 0x5EED_0F_0EE0E5UL;

    // Per background job: arrival and first-free time, in hours after the start of its day (float: 24 h to a few µs).
    private readonly float[] _arrival;
    private readonly float[] _firstFree;
    // Index of the first job of each day (BurnInDays + Days + 1 entries); jobs of day d are [_dayStart[d], _dayStart[d+1]).
    private readonly int[] _dayStart;

    // With a crew size per hour (a learned pool): every server's free time after each job, [job * servers + k].
    private readonly float[]? _freeAll;
    private readonly int _servers;

    private QueueTrajectory(float[] arrival, float[] firstFree, int[] dayStart, float[]? freeAll = null, int servers = 0)
    {
        _arrival = arrival;
        _firstFree = firstFree;
        _dayStart = dayStart;
        _freeAll = freeAll;
        _servers = servers;
    }

    public static QueueTrajectory Build(ServicePool pool)
    {
        var rng = new Xoshiro256(Xoshiro256.DeriveSeed(TrajectorySeed, pool.Name));
        int totalDays = BurnInDays + Days;
        double end = totalDays * 24.0;
        var arrival = new List<float>((int)(pool.ArrivalsPerHour.Sum() * totalDays * 1.05) + 16);
        var firstFree = new List<float>(arrival.Capacity);
        bool byHour = pool.CapacityByHour is not null;
        var freeAll = byHour ? new List<float>(arrival.Capacity * pool.Servers) : null;
        var dayStart = new int[totalDays + 1];
        Span<double> free = stackalloc double[pool.Servers];
        free.Fill(0);
        double maxRate = pool.MaxArrivalRate;
        double t = 0;
        int day = 0;
        if (maxRate > 0)
        {
            double meanGap = 1.0 / maxRate;
            double[] rates = pool.ArrivalsPerHour;
            while (true)
            {
                t += rng.Exponential(meanGap);
                if (t >= end)
                {
                    break;
                }
                if (rng.NextDouble() * maxRate >= rates[(int)MonteCarloEngine.HourOfDay(t)])
                {
                    continue;
                }
                int k;
                double begin;
                if (byHour)
                {
                    // The crew member who can start it first, given who works which hours that day.
                    (k, begin) = (0, double.PositiveInfinity);
                    for (int j = 0; j < free.Length; j++)
                    {
                        double s = pool.NextWorking(j, Math.Max(t, free[j]));
                        if (s < begin)
                        {
                            (k, begin) = (j, s);
                        }
                    }
                }
                else
                {
                    k = MonteCarloEngine.ArgMin(free);
                    begin = MonteCarloEngine.OnShift(pool, Math.Max(t, free[k]));
                }
                free[k] = begin + MonteCarloEngine.ServiceTime(pool, ref rng);
                int jobDay = (int)(t / 24.0);
                while (day < jobDay)
                {
                    dayStart[++day] = arrival.Count;
                }
                double dayOrigin = jobDay * 24.0;
                arrival.Add((float)(t - dayOrigin));
                firstFree.Add((float)(free[MonteCarloEngine.ArgMin(free)] - dayOrigin));
                if (freeAll is not null)
                {
                    foreach (double f in free)
                    {
                        freeAll.Add((float)(f - dayOrigin));
                    }
                }
            }
        }
        while (day < totalDays)
        {
            dayStart[++day] = arrival.Count;
        }
        return new QueueTrajectory([.. arrival], [.. firstFree], dayStart, freeAll?.ToArray(), pool.Servers);
    }

    /// <summary>A random position in the day sequence for the runs of one option.</summary>
    public static int FirstDay(ref Xoshiro256 rng) => (int)(rng.NextUInt64() % Days);

    /// <summary>
    /// When a job arriving at <paramref name="arrival"/> (hours) starts service in run number <paramref name="run"/>
    /// (counted from the option's <paramref name="firstDay"/>): the state after the background jobs that arrived before
    /// it on the run's day, at the same hour of day.
    /// </summary>
    public double Start(ServicePool pool, double arrival, int firstDay, int run)
    {
        int day = BurnInDays + (firstDay + run) % Days;
        float hour = (float)MonteCarloEngine.HourOfDay(arrival);
        int lo = _dayStart[day], hi = _dayStart[day + 1];
        // Jobs of the day that arrived before the hour: binary search for the first at or after it.
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_arrival[mid] < hour)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        int last = lo - 1; // the last job before the arrival (on an earlier day when the day had none before it)
        double hourStart = arrival - hour; // the arrival's own day, in the request's time
        double firstFree = double.NegativeInfinity;
        int jobDay = day;
        if (last >= 0)
        {
            while (_dayStart[jobDay] > last)
            {
                jobDay--; // the previous day with a job (days without one share their start index)
            }
            firstFree = hourStart + _firstFree[last] - (day - jobDay) * 24.0;
        }
        if (_freeAll is not null)
        {
            return StartByHour(pool, day, hour, hourStart, last, jobDay);
        }
        return MonteCarloEngine.OnShift(pool, Math.Max(arrival, firstFree));
    }

    /// <summary>A learned pool's start: the earliest any crew member who works then is free, on the trajectory's clock (whose days decide who works).</summary>
    private double StartByHour(ServicePool pool, int day, float hour, double hourStart, int last, int jobDay)
    {
        double arrivalOnTrajectory = day * 24.0 + hour;
        double best = double.PositiveInfinity;
        for (int k = 0; k < _servers; k++)
        {
            double free = last >= 0 ? jobDay * 24.0 + _freeAll![last * _servers + k] : double.NegativeInfinity;
            best = Math.Min(best, pool.NextWorking(k, Math.Max(arrivalOnTrajectory, free)));
        }
        return best - day * 24.0 + hourStart;
    }
}
