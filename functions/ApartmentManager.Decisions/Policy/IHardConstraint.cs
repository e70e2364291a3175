using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>A rule an option must satisfy to be recommended or carried out. Violating options stay in the ranking, marked, below all feasible ones.</summary>
public interface IHardConstraint
{
    /// <summary>snake_case name, stored in <c>OptionScore.ViolatedConstraints</c>.</summary>
    string Name { get; }

    /// <summary>Whether the rule has anything to say about this request at all (for the reasoning record).</summary>
    bool AppliesTo(ConstraintContext context);

    /// <summary>The coded finding (<see cref="PolicyCodes"/>) when <paramref name="option"/> breaks the rule, or null.</summary>
    PolicyFinding? Check(ConstraintContext context, ResolutionOption option);
}

/// <summary>A rule that lets an option be recommended but requires a manager to approve it before anything happens.</summary>
public interface IApprovalRule
{
    string Name { get; }

    /// <summary>The coded reason a manager must approve <paramref name="option"/>, or null.</summary>
    PolicyFinding? Check(ConstraintContext context, ResolutionOption option);
}
