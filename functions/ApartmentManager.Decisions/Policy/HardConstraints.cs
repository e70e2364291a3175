using System.Globalization;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>Emergencies get someone on site within the emergency on-site SLA: only dispatching options that the simulation shows meet it.</summary>
public sealed class EmergencyDispatchWithinSla : IHardConstraint
{
    public string Name => "emergency_dispatch_within_sla";

    public bool AppliesTo(ConstraintContext context) => context.Classification.Urgency == Urgency.Emergency;

    public string? Check(ConstraintContext context, ResolutionOption option)
    {
        if (!AppliesTo(context))
        {
            return null;
        }
        if (!OptionKinds.IsDispatch(option.Kind))
        {
            return $"{option.Title} does not dispatch anyone now, and emergencies must be attended within {Hours(context.Sla.OnSiteHours)}.";
        }
        return option.Simulation.PolicyCompliant
            ? null
            : $"{option.Title} dispatches, but the simulation does not get someone on site within {Hours(context.Sla.OnSiteHours)} reliably.";
    }

    private static string Hours(double h) => h.ToString("0.#", CultureInfo.InvariantCulture) + " h";
}

/// <summary>Every recommended option must be within the SLA and the limits, as the simulation judged it.</summary>
public sealed class PolicyCompliance : IHardConstraint
{
    public string Name => "policy_compliance";

    public bool AppliesTo(ConstraintContext context) => true;

    public string? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Simulation.PolicyCompliant)
        {
            return null;
        }
        string? first = null;
        foreach (string note in option.Simulation.PolicyNotes)
        {
            if (note.Contains("beyond", StringComparison.Ordinal) || note.Contains("exceeds", StringComparison.Ordinal)
                || note.Contains("must", StringComparison.Ordinal))
            {
                first = note;
                break;
            }
        }
        return $"{option.Title} is outside policy: {first ?? "see the simulation's policy notes"}";
    }
}

/// <summary>A chargeback needs evidence that the resident caused the damage, not a hunch.</summary>
public sealed class ChargebackRequiresEvidence : IHardConstraint
{
    public string Name => "chargeback_requires_evidence";

    public bool AppliesTo(ConstraintContext context) => true;

    public string? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Kind != OptionKinds.RepairWithChargeback)
        {
            return null;
        }
        int have = context.ResidentCauseEvidence.Count;
        int need = context.Policy.ChargebackMinimumEvidence;
        return have >= need
            ? null
            : $"A chargeback needs at least {need} pieces of evidence of resident-caused damage; the request has {have}.";
    }
}

/// <summary>No credit above the maximum, ever.</summary>
public sealed class CreditWithinLimit : IHardConstraint
{
    public string Name => "credit_within_limit";

    public bool AppliesTo(ConstraintContext context) => context.Classification.Category == Category.Billing;

    public string? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Kind != OptionKinds.BillingCredit)
        {
            return null;
        }
        double amount = CreditAmount.For(context.Request, context.Policy);
        return amount <= context.Policy.Credits.MaximumCredit
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"A credit of {amount:0.00} exceeds the maximum of {context.Policy.Credits.MaximumCredit:0.00}.");
    }
}

/// <summary>Self-help is not an answer to an urgent or risky problem.</summary>
public sealed class NoSelfHelpWhenUnsafe : IHardConstraint
{
    public string Name => "no_self_help_when_unsafe";

    public bool AppliesTo(ConstraintContext context) =>
        context.Classification.Urgency >= Urgency.High || context.Risk.Level >= RiskLevel.High;

    public string? Check(ConstraintContext context, ResolutionOption option) =>
        option.Kind == OptionKinds.SelfHelpFollowUp && AppliesTo(context)
            ? "Self-help is not offered for high-urgency or high-risk requests."
            : null;
}
