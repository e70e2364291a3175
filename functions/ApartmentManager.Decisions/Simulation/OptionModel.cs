namespace ApartmentManager.Decisions.Simulation;

/// <summary>
/// The stochastic model of one resolution option: which crew serves it, when it may start, how long the
/// visit takes, what it costs and how the resident feels about it. Built by the option generators.
/// </summary>
internal sealed record OptionModel
{
    /// <summary>The crew that works it; null for options nobody has to go anywhere for (self-help alone, a credit).</summary>
    public ServicePool? Pool { get; init; }
    /// <summary>Earliest start after the request (e.g. the booked slot of a scheduled visit).</summary>
    public LogNormal StartDelay { get; init; } = LogNormal.Zero;
    public LogNormal Travel { get; init; } = LogNormal.Zero;
    public LogNormal Work { get; init; } = LogNormal.Zero;
    public double PartsProbability { get; init; }
    public LogNormal PartsDelay { get; init; } = LogNormal.Zero;
    public LogNormal PartsCost { get; init; } = LogNormal.Zero;

    /// <summary>Self-help: chance the resident's own fix works, how long it takes, and when the follow-up visit happens if it doesn't.</summary>
    public double SelfResolveProbability { get; init; }
    public LogNormal SelfHelpTime { get; init; } = LogNormal.Zero;
    public double FollowUpHours { get; init; }

    public double CalloutCost { get; init; }
    public double HourlyRate { get; init; }
    /// <summary>Labour multiplier for work started outside 08:00–18:00.</summary>
    public double AfterHoursMultiplier { get; init; } = 1.0;
    /// <summary>Most hours billed for the work. Office matters take days of elapsed time but an hour of someone's time.</summary>
    public double BilledHoursCap { get; init; } = double.PositiveInfinity;
    /// <summary>A fixed amount (a credit given, a letter's handling fee).</summary>
    public double FixedCost { get; init; }

    /// <summary>How much of the request's escalation hazard remains while the option waits (1 = none contained; guidance that stops a leak lowers it).</summary>
    public double HazardMultiplier { get; init; } = 1.0;
    /// <summary>Cost if the issue escalates (damage, complaint handling).</summary>
    public LogNormal EscalationCost { get; init; } = LogNormal.Zero;

    /// <summary>Satisfaction (0–1) if resolved instantly; it decays towards <see cref="SatisfactionFloor"/> as the wait grows past the patience time.</summary>
    public double SatisfactionBase { get; init; } = 0.85;
    public double SatisfactionFloor { get; init; } = 0.25;
    public double PatienceHours { get; init; } = 48;
    public double EscalationSatisfactionPenalty { get; init; } = 0.3;
}
