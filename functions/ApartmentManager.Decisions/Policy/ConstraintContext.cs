using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>What a constraint may look at: the request as decided on, and the policy numbers in force.</summary>
public sealed record ConstraintContext(
    ResidentRequest Request,
    Classification Classification,
    RiskAssessment Risk,
    DecisionOptions Policy,
    IReadOnlyList<string> ResidentCauseEvidence)
{
    public Sla Sla => Policy.Sla.For(Classification.Urgency);
}
