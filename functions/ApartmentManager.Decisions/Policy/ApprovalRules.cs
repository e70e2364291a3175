using System.Globalization;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>High (or critical) risk needs a manager's approval — except an emergency dispatch, which must not wait for one.</summary>
public sealed class HighRiskNeedsManagerApproval : IApprovalRule
{
    public string Name => "high_risk_manager_approval";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option)
    {
        if (context.Risk.Level < context.Policy.ManagerApprovalRiskLevel)
        {
            return null;
        }
        if (IsWaived(context, option))
        {
            // Waived, not forgotten: the reasoning says so and the manager is notified with the dispatch.
            return null;
        }
        return new(PolicyCodes.HighRisk,
            $"risk is {Level(context.Risk.Level)} ({context.Risk.Probability.ToString("0.00", CultureInfo.InvariantCulture)}), at or above the {Level(context.Policy.ManagerApprovalRiskLevel)} level that needs a manager");
    }

    /// <summary>An emergency dispatch never waits for a manager.</summary>
    public static bool IsWaived(ConstraintContext context, ResolutionOption option) =>
        context.Classification.Urgency == Urgency.Emergency && OptionKinds.IsDispatch(option.Kind);

    internal static string Level(RiskLevel level) => level.ToString().ToLowerInvariant();
}

/// <summary>Charging a resident is always a manager's call.</summary>
public sealed class ChargebackNeedsManagerApproval : IApprovalRule
{
    public string Name => "chargeback_manager_approval";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        option.Kind == OptionKinds.RepairWithChargeback ? new(PolicyCodes.Chargeback, "charging the resident for damage needs a manager's approval") : null;
}

/// <summary>
/// No money moves on the resident's word alone: a credit needs the office's ledger review to have found the charge
/// wrong, or a manager's approval.
/// </summary>
public sealed class CreditNeedsVerification : IApprovalRule
{
    public string Name => "credit_needs_review_or_approval";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option) =>
        option.Kind == OptionKinds.BillingCredit && !context.KnownFacts.ChargeFoundWrong
            ? new(PolicyCodes.CreditUnverified, "a credit on the resident's claim alone needs a manager's approval (no ledger review has found the charge wrong)")
            : null;
}

/// <summary>Credits above the auto-approval limit need a manager.</summary>
public sealed class CreditAboveAutoLimitNeedsApproval : IApprovalRule
{
    public string Name => "credit_above_auto_limit";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Kind != OptionKinds.BillingCredit)
        {
            return null;
        }
        decimal amount = CreditAmount.Of(context.Request, option, context.Policy);
        return amount > (decimal)context.Policy.Credits.AutoApproveLimit
            ? new(PolicyCodes.CreditAboveAutoLimit,
                $"the credit of {SimulatedFindings.Money(amount)} is above the auto-approval limit of {SimulatedFindings.Money((decimal)context.Policy.Credits.AutoApproveLimit)}")
            : null;
    }
}

/// <summary>Goodwill credits per resident are capped over a rolling window; a credit that would pass the cap needs a manager.</summary>
public sealed class GoodwillCapNeedsApproval : IApprovalRule
{
    public string Name => "goodwill_cap";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption option)
    {
        if (option.Kind != OptionKinds.BillingCredit)
        {
            return null;
        }
        var credits = context.Policy.Credits;
        decimal already = context.KnownFacts.GoodwillCreditedInWindow;
        decimal after = already + CreditAmount.Of(context.Request, option, context.Policy);
        return after > (decimal)credits.GoodwillCapPerResident
            ? new(PolicyCodes.GoodwillCapExceeded,
                $"the resident has had {SimulatedFindings.Money(already)} in goodwill credits in the last {credits.GoodwillWindowDays} days; this credit would bring it to {SimulatedFindings.Money(after)}, above the cap of {SimulatedFindings.Money((decimal)credits.GoodwillCapPerResident)}")
            : null;
    }
}

/// <summary>
/// The LLM and the in-process rules disagreed on urgency: a manager decides instead of the system acting on either.
/// An emergency the rules themselves found is not held back (the LLM can only have argued it down).
/// </summary>
public sealed class UrgencyDisagreementNeedsManager : IApprovalRule
{
    public string Name => "urgency_disagreement_manager_decides";

    public PolicyFinding? Check(ConstraintContext context, ResolutionOption recommended)
    {
        var mark = context.Classification.Evidence.FirstOrDefault(e => e.StartsWith(ClassificationEvidence.UrgencyDisagreement, StringComparison.Ordinal));
        if (mark is null)
        {
            return null;
        }
        if (mark.EndsWith("rules=emergency", StringComparison.Ordinal) && OptionKinds.IsDispatch(recommended.Kind))
        {
            return null;
        }
        return new(PolicyCodes.UrgencyDisagreement, $"the LLM and the rules disagree on urgency ({mark[(ClassificationEvidence.UrgencyDisagreement.Length + 1)..]})");
    }
}
