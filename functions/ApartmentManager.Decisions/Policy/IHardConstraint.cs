using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>A rule an option must satisfy to be recommended. Violating options stay in the ranking, marked, below all feasible ones.</summary>
public interface IHardConstraint
{
    /// <summary>snake_case name, stored in <c>OptionScore.ViolatedConstraints</c>.</summary>
    string Name { get; }

    /// <summary>Whether the rule has anything to say about this request at all (for the reasoning record).</summary>
    bool AppliesTo(ConstraintContext context);

    /// <summary>Why <paramref name="option"/> breaks the rule, or null when it does not.</summary>
    string? Check(ConstraintContext context, ResolutionOption option);
}

/// <summary>A rule that lets an option be recommended but requires a manager to approve it before anything happens.</summary>
public interface IApprovalRule
{
    string Name { get; }

    /// <summary>Why a manager must approve <paramref name="recommended"/>, or null.</summary>
    string? Check(ConstraintContext context, ResolutionOption recommended);
}
