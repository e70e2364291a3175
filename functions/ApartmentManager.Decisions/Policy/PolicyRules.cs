using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>
/// The one list of hard constraints and approval rules. The decision policy ranks with it and the option gate
/// re-checks with it, so an option is judged by the same rules whether it is recommended or about to be carried out.
/// </summary>
public sealed class PolicyRules
{
    public static readonly PolicyRules Standard = new(
        [new EmergencyDispatchWithinSla(), new PolicyCompliance(), new ChargebackRequiresEvidence(), new CreditWithinLimit(), new NoSelfHelpWhenUnsafe()],
        [new HighRiskNeedsManagerApproval(), new ChargebackNeedsManagerApproval(), new CreditNeedsVerification(), new CreditAboveAutoLimitNeedsApproval(), new GoodwillCapNeedsApproval(),
        new UrgencyDisagreementNeedsManager()]);

    public PolicyRules(IReadOnlyList<IHardConstraint> constraints, IReadOnlyList<IApprovalRule> approvals)
    {
        Constraints = constraints;
        Approvals = approvals;
    }

    public IReadOnlyList<IHardConstraint> Constraints { get; }

    public IReadOnlyList<IApprovalRule> Approvals { get; }

    /// <summary>Every hard constraint <paramref name="option"/> breaks, with the constraint's name.</summary>
    public List<(string Constraint, PolicyFinding Finding)> Violations(ConstraintContext context, ResolutionOption option)
    {
        var found = new List<(string, PolicyFinding)>();
        foreach (var constraint in Constraints)
        {
            if (constraint.Check(context, option) is { } finding)
            {
                found.Add((constraint.Name, finding));
            }
        }
        return found;
    }

    /// <summary>Why a manager must approve <paramref name="option"/> before it is carried out (empty: no approval needed).</summary>
    public List<PolicyFinding> ApprovalsNeeded(ConstraintContext context, ResolutionOption option)
    {
        var found = new List<PolicyFinding>();
        foreach (var rule in Approvals)
        {
            if (rule.Check(context, option) is { } finding)
            {
                found.Add(finding);
            }
        }
        return found;
    }
}
