using ApartmentManager.Domain;

namespace ApartmentManager.Decisions;

/// <summary>
/// The policy numbers the simulator and the decision policy use, bound from the <c>Decision</c> section.
/// The defaults mirror the knowledge base's SLA and credit documents; <see cref="PolicyVersion"/> and
/// <see cref="ScoringWeights.Version"/> are stored with every decision so a past decision can be explained
/// against the numbers it was made with.
/// </summary>
public sealed class DecisionOptions
{
    public const string SectionName = "Decision";

    public string PolicyVersion { get; set; } = "2026.11-1";

    /// <summary>Response / resolution SLA per urgency (hours).</summary>
    public UrgencySlas Sla { get; set; } = new();

    /// <summary>How long the resident has to pick an option before the workflow escalates.</summary>
    public double ResidentChoiceSlaHours { get; set; } = 48;

    /// <summary>How long a manager has to approve before the workflow escalates.</summary>
    public double ManagerApprovalSlaHours { get; set; } = 4;

    public CreditPolicy Credits { get; set; } = new();

    public ScoringWeights Weights { get; set; } = new();

    /// <summary>Risk level from which a manager must approve whatever is recommended.</summary>
    public RiskLevel ManagerApprovalRiskLevel { get; set; } = RiskLevel.High;

    /// <summary>Feasible options whose total score is this close to the best are offered to the resident.</summary>
    public double ResidentChoiceMargin { get; set; } = 0.05;

    /// <summary>Pieces of evidence of resident-caused damage needed before a chargeback is allowed.</summary>
    public int ChargebackMinimumEvidence { get; set; } = 2;

    /// <summary>Cost at which the cost score has fallen to 1/e (currency units).</summary>
    public double CostScale { get; set; } = 600;

    public SimulationDefaults Simulation { get; set; } = new();
}

public sealed class UrgencySlas
{
    public Sla Emergency { get; set; } = new() { ResponseHours = 1, OnSiteHours = 4, ResolutionHours = 24 };
    public Sla High { get; set; } = new() { ResponseHours = 4, OnSiteHours = 24, ResolutionHours = 48 };
    public Sla Normal { get; set; } = new() { ResponseHours = 24, OnSiteHours = 72, ResolutionHours = 120 };
    public Sla Low { get; set; } = new() { ResponseHours = 48, OnSiteHours = 168, ResolutionHours = 240 };

    public Sla For(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => Emergency,
        Urgency.High => High,
        Urgency.Normal => Normal,
        _ => Low,
    };
}

/// <summary>One urgency's service levels. "On site" is when the issue is first worked on (or acted on, for office matters).</summary>
public sealed class Sla
{
    public double ResponseHours { get; set; }
    public double OnSiteHours { get; set; }
    public double ResolutionHours { get; set; }
}

/// <summary>
/// Money rules (<c>Decision:Credits:*</c>). No credit is ever sized from the resident's message: a credit offered on a
/// billing complaint is the standard <see cref="GoodwillAmount"/>, and it waits for a manager (or for the office's
/// ledger review to find the charge wrong) before anything is posted.
/// </summary>
public sealed class CreditPolicy
{
    /// <summary>Verified credits up to this amount need no approval.</summary>
    public double AutoApproveLimit { get; set; } = 75;

    /// <summary>No credit above this amount may be offered at all.</summary>
    public double MaximumCredit { get; set; } = 250;

    /// <summary>Goodwill credit per full day an essential service (heat, water, power) was out.</summary>
    public double EssentialServicePerDay { get; set; } = 25;

    /// <summary>The standard goodwill credit offered on a billing complaint (the amount of a <c>billing_credit</c> option).</summary>
    public double GoodwillAmount { get; set; } = 50;

    /// <summary>Goodwill credits one resident may receive in a rolling <see cref="GoodwillWindowDays"/>; above it, a manager approves.</summary>
    public double GoodwillCapPerResident { get; set; } = 100;

    /// <summary>The rolling window of the goodwill cap, in days.</summary>
    public int GoodwillWindowDays { get; set; } = 365;
}

/// <summary>Weighted criteria. Weights need not sum to one; the total is normalised by their sum.</summary>
public sealed class ScoringWeights
{
    public string Version { get; set; } = "w-2026.11-1";
    public double Safety { get; set; } = 0.35;
    public double Time { get; set; } = 0.25;
    public double Cost { get; set; } = 0.10;
    public double Satisfaction { get; set; } = 0.20;
    public double Compliance { get; set; } = 0.10;
}

public sealed class SimulationDefaults
{
    public int Runs { get; set; } = 2000;
    public ulong Seed { get; set; } = 20261122;
    /// <summary>Simulate options on several cores. Results do not depend on it: each option has its own seeded stream.</summary>
    public bool Parallel { get; set; } = true;

    /// <summary>
    /// The risk model's probability is "escalates within 14 days"; how fast that happens depends on urgency (a
    /// burst pipe escalates in hours). The hazard while waiting is -ln(1 - p) / horizon for the request's urgency.
    /// </summary>
    public double EmergencyHorizonHours { get; set; } = 12;
    public double HighHorizonHours { get; set; } = 72;
    public double NormalHorizonHours { get; set; } = 336;
    public double LowHorizonHours { get; set; } = 336;

    /// <summary>Hours after self-help guidance at which a follow-up visit is booked if the fix did not hold.</summary>
    public double SelfHelpFollowUpHours { get; set; } = 24;

    public double HorizonFor(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => EmergencyHorizonHours,
        Urgency.High => HighHorizonHours,
        Urgency.Normal => NormalHorizonHours,
        _ => LowHorizonHours,
    };
}
