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
        double serviceCv = 1.0, int shiftStartHour = 0, int shiftEndHour = 24, double warmupHours = 36)
    {
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
