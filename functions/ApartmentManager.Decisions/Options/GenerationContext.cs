using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>What the generators know about a classified, risk-scored request.</summary>
internal sealed record GenerationContext(
    Category Category,
    Urgency Urgency,
    double RiskProbability,
    RiskLevel RiskLevel,
    string Message,
    Sla Sla,
    DecisionOptions Policy,
    IReadOnlyList<string> ResidentCauseEvidence)
{
    public static bool IsPhysical(Category c) => c is Category.Plumbing or Category.Electrical or Category.Hvac
        or Category.Appliance or Category.Pest or Category.Structural or Category.SecurityAccess;

    public bool Physical => IsPhysical(Category);
}
