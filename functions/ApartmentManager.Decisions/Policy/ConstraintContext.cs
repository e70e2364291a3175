using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Policy;

/// <summary>What a constraint may look at: the request as decided on, the policy numbers in force, and the facts looked up for it.</summary>
public sealed record ConstraintContext(
    ResidentRequest Request,
    Classification Classification,
    RiskAssessment Risk,
    DecisionOptions Policy,
    IReadOnlyList<string> ResidentCauseEvidence,
    PolicyFacts? Facts = null)
{
    public Sla Sla => Policy.Sla.For(Classification.Urgency);

    public PolicyFacts KnownFacts => Facts ?? PolicyFacts.None;
}

/// <summary>
/// Facts about the resident that rules need and the request does not hold.
/// </summary>
/// <param name="GoodwillCreditedInWindow">Goodwill credits posted to the resident in the rolling window (other requests).</param>
/// <param name="ChargeFoundWrong">The office's ledger review found the disputed charge wrong (the credit is verified).</param>
public sealed record PolicyFacts(decimal GoodwillCreditedInWindow, bool ChargeFoundWrong = false)
{
    public static readonly PolicyFacts None = new(0m);
}
