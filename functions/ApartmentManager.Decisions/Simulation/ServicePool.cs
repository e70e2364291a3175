namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// A crew that works a queue: technicians, an on-call rota, a vendor's dispatch or the leasing office.
/// Background work arrives as a Poisson process whose rate follows the hour of the day; a job can only
/// start while the pool is on shift. Simulating the queue (rather than sampling a wait from a formula) lets
/// time of day, shift ends and multi-server effects show up in the waiting time.
/// </summary>
internal sealed class ServicePool
{
    public ServicePool(string name, int servers, double[] arrivalsPerHour, double meanServiceHours,
        double serviceCv = 1.0, int shiftStartHour = 0, int shiftEndHour = 24, double warmupHours = 36, double[]? capacityByHour = null)
    {
        if (capacityByHour is not null && (capacityByHour.Length != 24 || capacityByHour.Any(c => !double.IsFinite(c) || c < 0)))
        {
            throw new ArgumentException("A crew size is given for each of the 24 hours, at least 0.", nameof(capacityByHour));
        }
        CapacityByHour = capacityByHour;
        if (arrivalsPerHour.Length != 24)
        {
            throw new ArgumentException("Arrival rates are given for each of the 24 hours.", nameof(arrivalsPerHour));
        }
        Name = name;
        Servers = Math.Clamp(servers, 1, 16);
        ArrivalsPerHour = arrivalsPerHour;
        MaxArrivalRate = arrivalsPerHour.Max();
        MeanServiceHours = meanServiceHours;
        // Exponential service (cv = 1) keeps M/M/c results checkable; other cvs use a log-normal with that mean.
        ServiceCv = serviceCv;
        ServiceSigma = Math.Sqrt(Math.Log(1 + serviceCv * serviceCv));
        ServiceMu = Math.Log(meanServiceHours) - ServiceSigma * ServiceSigma / 2;
        ShiftStartHour = shiftStartHour;
        ShiftEndHour = shiftEndHour;
        WarmupHours = warmupHours;
        _trajectory = new Lazy<QueueTrajectory>(() => QueueTrajectory.Build(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<QueueTrajectory> _trajectory;

    /// <summary>The pool's cached warm-up state, built on first use.</summary>
    internal QueueTrajectory Trajectory => _trajectory.Value;

    public string Name { get; }
    public int Servers { get; }
    public double[] ArrivalsPerHour { get; }
    public double MaxArrivalRate { get; }
    public double MeanServiceHours { get; }
    public double ServiceCv { get; }
    internal double ServiceMu { get; }
    internal double ServiceSigma { get; }
    public int ShiftStartHour { get; }
    public int ShiftEndHour { get; }
    public double WarmupHours { get; }
    public bool AlwaysOnShift => ShiftStartHour == 0 && ShiftEndHour >= 24;

    /// <summary>
    /// A learned crew size per hour of day, or null (all <see cref="Servers"/> work every shift hour). Fractional sizes
    /// mean the last crew member works that hour on that share of days: crew member <c>k</c> works hour <c>h</c> of a
    /// day when <c>k &lt; ⌊c_h⌋</c>, or when <c>k = ⌊c_h⌋</c> and a draw for that day, hour and member is below the
    /// fraction (drawn per hour, so an hour's wait depends on the crew around that hour, not on the rest of the day).
    /// </summary>
    public double[]? CapacityByHour { get; }

    /// <summary>The same crew with a crew size per hour of day (servers: the largest size, rounded up).</summary>
    public ServicePool WithCapacity(double[] capacityByHour) =>
        new(Name, Math.Max(1, (int)Math.Ceiling(capacityByHour.Max() - 1e-9)), ArrivalsPerHour, MeanServiceHours, ServiceCv,
            ShiftStartHour, ShiftEndHour, WarmupHours, capacityByHour);

    /// <summary>The earliest time from <paramref name="t"/> (hours on the trajectory's clock) at which crew member <paramref name="k"/> is on shift and working.</summary>
    internal double NextWorking(int k, double t)
    {
        var capacity = CapacityByHour!;
        for (int guard = 0; guard < 24 * 28; guard++)
        {
            double day = Math.Floor(t / 24.0);
            int hour = Math.Min(23, (int)(t - 24.0 * day));
            bool onShift = AlwaysOnShift || (hour >= ShiftStartHour && hour < ShiftEndHour);
            double c = capacity[hour];
            int whole = (int)c;
            if (onShift && (k < whole || (k == whole && Draw((long)day * 24 + hour, k) < c - whole)))
            {
                return t;
            }
            t = Math.Floor(t) + 1; // the next whole hour
        }
        return t; // nobody works this pool for four weeks: the job waits that long
    }

    /// <summary>A uniform draw per hour of the trajectory and crew member (SplitMix64 of both): the same in the trajectory and in every lookup.</summary>
    private static double Draw(long hour, int k)
    {
        ulong z = unchecked((ulong)hour * 0x9E3779B97F4A7C15UL + (ulong)(k + 1) * 0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    public static double[] Flat(double perHour)
    {
        var rates = new double[24];
        Array.Fill(rates, perHour);
        return rates;
    }

    /// <summary>Rates shaped like a residential day: quiet at night, a morning and an evening peak.</summary>
    public static double[] Residential(double dailyJobs)
    {
        ReadOnlySpan<double> shape = [0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.7, 1.2, 1.5, 1.4, 1.3, 1.2, 1.1, 1.1, 1.1, 1.2, 1.4, 1.6, 1.8, 1.7, 1.4, 1.0, 0.6, 0.35];
        double sum = 0;
        foreach (double s in shape)
        {
            sum += s;
        }
        var rates = new double[24];
        for (int h = 0; h < 24; h++)
        {
            rates[h] = dailyJobs * shape[h] / sum;
        }
        return rates;
    }
}
