using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>Send the on-call technician now: for urgent physical problems or risky ones.</summary>
internal sealed class DispatchNowGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.DispatchNow;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (!c.Physical || (c.Urgency < Urgency.High && c.RiskLevel < RiskLevel.High))
        {
            return null;
        }
        var profile = CategoryProfile.For(c.Category);
        var model = new OptionModel
        {
            Pool = ServiceNetwork.OnCall,
            Travel = new LogNormal(0.5, 1.2),
            Work = profile.Work,
            PartsProbability = profile.PartsProbability,
            PartsDelay = new LogNormal(24, 72),
            PartsCost = new LogNormal(60, 250),
            CalloutCost = 95,
            HourlyRate = 85,
            AfterHoursMultiplier = 1.5,
            EscalationCost = profile.EscalationCost,
            SatisfactionBase = 0.92,
            PatienceHours = 24,
        };
        return new(Kind, "Send the on-call technician now",
            $"A technician is dispatched straight away to deal with the {profile.Noun}.",
            model, $"emergency dispatch after-hours on-call response {CategoryProfile.Name(c.Category)}", Dispatch: true);
    }
}

/// <summary>Book an in-house technician within the urgency's SLA.</summary>
internal sealed class ScheduleBySlaGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.ScheduleBySla;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (!c.Physical && c.Category != Category.General)
        {
            return null;
        }
        var model = ScheduledVisit(c, CategoryProfile.For(c.Category));
        return new(Kind, "Schedule a technician visit",
            $"An in-house technician visits at a booked time within the {CategoryProfile.Name(c.Category)} service window.",
            model, $"maintenance SLA scheduling {CategoryProfile.Name(c.Category)} {c.Urgency.ToString().ToLowerInvariant()} priority");
    }

    /// <summary>An in-house visit booked around a third of the way into the on-site window, rarely later than two thirds.</summary>
    internal static OptionModel ScheduledVisit(GenerationContext c, CategoryProfile profile)
    {
        double window = c.Sla.OnSiteHours;
        return new OptionModel
        {
            Pool = ServiceNetwork.Technicians,
            StartDelay = new LogNormal(window * 0.3, window * 0.6),
            Travel = new LogNormal(0.3, 0.8),
            Work = profile.Work,
            PartsProbability = profile.PartsProbability,
            PartsDelay = new LogNormal(48, 120),
            PartsCost = new LogNormal(60, 250),
            CalloutCost = 40,
            HourlyRate = 65,
            EscalationCost = profile.EscalationCost,
            SatisfactionBase = 0.85,
            PatienceHours = Math.Max(24, c.Sla.ResolutionHours),
        };
    }
}

/// <summary>Guidance the resident can safely follow now, with a visit booked in case it does not hold.</summary>
internal sealed class SelfHelpGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.SelfHelpFollowUp;

    public OptionTemplate? Generate(GenerationContext c)
    {
        var profile = CategoryProfile.For(c.Category);
        if (profile.SelfHelpSuccess <= 0 || c.Urgency == Urgency.Emergency)
        {
            return null;
        }
        // The riskier the request, the less likely a quick fix is the whole story.
        double success = profile.SelfHelpSuccess * (1 - 0.5 * c.RiskProbability);
        var model = new OptionModel
        {
            Pool = c.Physical ? ServiceNetwork.Technicians : ServiceNetwork.Office,
            SelfResolveProbability = success,
            SelfHelpTime = new LogNormal(1.0, 3.0),
            FollowUpHours = c.Policy.Simulation.SelfHelpFollowUpHours,
            Travel = c.Physical ? new LogNormal(0.3, 0.8) : LogNormal.Zero,
            Work = profile.Work,
            PartsProbability = profile.PartsProbability,
            PartsDelay = new LogNormal(48, 120),
            PartsCost = new LogNormal(60, 250),
            CalloutCost = c.Physical ? 40 : 0,
            HourlyRate = c.Physical ? 65 : 35,
            // Guidance (shut the valve, reset the breaker, check the locker) contains part of the risk while waiting.
            HazardMultiplier = 0.7,
            EscalationCost = profile.EscalationCost,
            SatisfactionBase = 0.80,
            PatienceHours = Math.Max(24, c.Sla.ResolutionHours),
        };
        return new(Kind, "Self-help guidance with a follow-up",
            $"Step-by-step guidance the resident can try now for the {profile.Noun}; a follow-up visit is booked if it does not fix it.",
            model, $"resident self-help troubleshooting guidance {CategoryProfile.Name(c.Category)}");
    }
}

/// <summary>A contract vendor: the specialist for HVAC, appliances, pests, structure; their emergency line for emergencies.</summary>
internal sealed class VendorGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.Vendor;

    public OptionTemplate? Generate(GenerationContext c)
    {
        bool specialist = c.Category is Category.Hvac or Category.Appliance or Category.Pest or Category.Structural or Category.Electrical
            or Category.SecurityAccess;
        bool emergency = c.Urgency == Urgency.Emergency && c.Physical;
        if (!specialist && !emergency)
        {
            return null;
        }
        var profile = CategoryProfile.For(c.Category);
        var model = new OptionModel
        {
            Pool = emergency ? ServiceNetwork.EmergencyVendors : ServiceNetwork.Vendors,
            StartDelay = emergency ? LogNormal.Zero : new LogNormal(24, 72),
            Travel = emergency ? new LogNormal(1.0, 2.0) : new LogNormal(0.75, 1.5),
            Work = new LogNormal(profile.Work.Mean * 0.8, profile.Work.Mean * 2.0),
            PartsProbability = profile.PartsProbability * 0.7,
            PartsDelay = new LogNormal(24, 72),
            PartsCost = new LogNormal(80, 300),
            CalloutCost = emergency ? 220 : 120,
            HourlyRate = emergency ? 140 : 110,
            AfterHoursMultiplier = emergency ? 1.25 : 1.0,
            EscalationCost = profile.EscalationCost,
            SatisfactionBase = 0.86,
            PatienceHours = emergency ? 24 : Math.Max(24, c.Sla.ResolutionHours),
        };
        return new(Kind, emergency ? "Call the vendor's emergency line" : "Book a specialist vendor",
            emergency
                ? $"A contracted vendor's 24/7 emergency crew is sent for the {profile.Noun}."
                : $"A contracted specialist vendor is booked for the {profile.Noun}.",
            model, $"approved vendors contractor {(emergency ? "emergency " : "")}{CategoryProfile.Name(c.Category)}", Dispatch: emergency);
    }
}

/// <summary>Repair now, charge the resident afterwards — only offered when the message suggests resident-caused damage.</summary>
internal sealed class RepairWithChargebackGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.RepairWithChargeback;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (!c.Physical || c.ResidentCauseEvidence.Count == 0)
        {
            return null;
        }
        var profile = CategoryProfile.For(c.Category);
        // The company's net cost: the chargeback recovers most of labour and parts, the admin stays.
        var model = ScheduleBySlaGenerator.ScheduledVisit(c, profile) with { CalloutCost = 25, HourlyRate = 10, SatisfactionBase = 0.55 };
        return new(Kind, "Repair and charge the resident",
            $"The {profile.Noun} is repaired and, because it appears resident-caused, the cost is charged to the resident's ledger.",
            model, "resident-caused damage chargeback evidence repair costs");
    }
}
