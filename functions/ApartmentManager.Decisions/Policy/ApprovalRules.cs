using System.Globalization;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>High (or critical) risk needs a manager's approval — except an emergency dispatch, which must not wait for one.</summary>
public sealed class HighRiskNeedsManagerApproval : IApprovalRule
{
    public string Name => "high_risk_manager_approval";

    public string? Check(ConstraintContext context, ResolutionOption recommended)
    {
        if (context.Risk.Level < context.Policy.ManagerApprovalRiskLevel)
        {
            return null;
        }
        if (context.Classification.Urgency == Urgency.Emergency && OptionKinds.IsDispatch(recommended.Kind))
        {
            // Waived, not forgotten: the reasoning says so and the manager is notified with the dispatch.
            return null;
        }
        return $"risk is {Level(context.Risk.Level)} ({context.Risk.Probability.ToString("0.00", CultureInfo.InvariantCulture)}), at or above the {Level(context.Policy.ManagerApprovalRiskLevel)} level that needs a manager";
    }

    internal static string Level(RiskLevel level) => level.ToString().ToLowerInvariant();
}

/// <summary>Charging a resident is always a manager's call.</summary>
public sealed class ChargebackNeedsManagerApproval : IApprovalRule
{
    public string Name => "chargeback_manager_approval";

    public string? Check(ConstraintContext context, ResolutionOption recommended) =>
        recommended.Kind == OptionKinds.RepairWithChargeback ? "charging the resident for damage needs a manager's approval" : null;
}

/// <summary>Credits above the auto-approval limit need a manager.</summary>
public sealed class CreditAboveAutoLimitNeedsApproval : IApprovalRule
{
    public string Name => "credit_above_auto_limit";

    public string? Check(ConstraintContext context, ResolutionOption recommended)
    {
        if (recommended.Kind != OptionKinds.BillingCredit)
        {
            return null;
        }
        double amount = CreditAmount.For(context.Request, context.Policy);
        return amount > context.Policy.Credits.AutoApproveLimit
            ? string.Create(CultureInfo.InvariantCulture, $"the credit of {amount:0.00} is above the auto-approval limit of {context.Policy.Credits.AutoApproveLimit:0.00}")
            : null;
    }
}
