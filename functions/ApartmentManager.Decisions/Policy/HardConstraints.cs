using System.Globalization;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>Emergencies get someone on site within the emergency on-site SLA: only dispatching options that the simulation shows meet it.</summary>
public sealed class EmergencyDispatchWithinSla : IHardConstraint
{
    public string Name => "emergency_dispatch_within_sla";

    public bool AppliesTo(ConstraintContext context) => context.Classification.Urgency == Urgency.Emergency;

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        AppliesTo(context)
            ? SimulatedFindings.First(option, PolicyCodes.EmergencyNotDispatched) ?? SimulatedFindings.First(option, PolicyCodes.OnSiteSlaExceeded)
            : null;
}

/// <summary>Every option carried out must be within the SLA and the limits, as the simulation judged it (any coded violation).</summary>
public sealed class PolicyCompliance : IHardConstraint
{
    public string Name => "policy_compliance";

    public bool AppliesTo(ConstraintContext context) => true;

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        option.Simulation.Violations is [var first, ..] ? first : null;
}

/// <summary>A chargeback needs evidence that the resident caused the damage, not a hunch.</summary>
public sealed class ChargebackRequiresEvidence : IHardConstraint
{
    public string Name => "chargeback_requires_evidence";

    public bool AppliesTo(ConstraintContext context) => true;

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Kind != OptionKinds.RepairWithChargeback)
        {
            return null;
        }
        int have = context.ResidentCauseEvidence.Count;
        int need = context.Policy.ChargebackMinimumEvidence;
        return have >= need
            ? null
            : new(PolicyCodes.ChargebackWithoutEvidence, $"A chargeback needs at least {need} pieces of evidence of resident-caused damage; the request has {have}.");
    }
}

/// <summary>No credit above the maximum, ever (judged once, by the simulator, on the option's own amount).</summary>
public sealed class CreditWithinLimit : IHardConstraint
{
    public string Name => "credit_within_limit";

    public bool AppliesTo(ConstraintContext context) => context.Classification.Category == Category.Billing;

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        SimulatedFindings.First(option, PolicyCodes.CreditAboveMaximum);
}

/// <summary>Self-help is not an answer to an urgent or risky problem.</summary>
public sealed class NoSelfHelpWhenUnsafe : IHardConstraint
{
    public string Name => "no_self_help_when_unsafe";

    public bool AppliesTo(ConstraintContext context) =>
        context.Classification.Urgency >= Urgency.High || context.Risk.Level >= RiskLevel.High;

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        option.Kind == OptionKinds.SelfHelpFollowUp && AppliesTo(context)
            ? new(PolicyCodes.SelfHelpWhenUnsafe, "Self-help is not offered for high-urgency or high-risk requests.")
            : null;
}

/// <summary>The findings the simulator recorded on an option, by code.</summary>
internal static class SimulatedFindings
{
    public static PolicyFinding? First(ResolutionOption option, string code)
    {
        foreach (var finding in option.Simulation.Violations ?? [])
        {
            if (finding.Code == code)
            {
                return finding;
            }
        }
        return null;
    }

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
