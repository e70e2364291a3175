namespace ApartmentManager.Domain;

/// <summary>
/// One policy rule's verdict on an option: a stable machine <paramref name="Code"/> (see <see cref="PolicyCodes"/>) and
/// the sentence a person reads. The simulator, the hard constraints, the approval rules and the API all use the code;
/// nothing searches the sentence.
/// </summary>
public sealed record PolicyFinding(string Code, string Detail);

/// <summary>The codes of the policy rules. A code never changes meaning; a new rule gets a new code.</summary>
public static class PolicyCodes
{
    // Hard constraints: an option with one of these can never be carried out automatically.

    /// <summary>The simulation's p90 time until someone acts on it is beyond the urgency's on-site SLA.</summary>
    public const string OnSiteSlaExceeded = "on_site_sla_exceeded";
    /// <summary>An emergency, and the option does not send anyone now.</summary>
    public const string EmergencyNotDispatched = "emergency_not_dispatched";
    /// <summary>The credit is above the maximum credit any request may get.</summary>
    public const string CreditAboveMaximum = "credit_above_maximum";
    /// <summary>A chargeback without the required evidence that the resident caused the damage.</summary>
    public const string ChargebackWithoutEvidence = "chargeback_without_evidence";
    /// <summary>Self-help offered for a high-urgency or high-risk problem.</summary>
    public const string SelfHelpWhenUnsafe = "self_help_when_unsafe";

    // Approval rules: the option may be carried out once a manager approves it.

    /// <summary>Risk at or above the level that needs a manager (waived for an emergency dispatch).</summary>
    public const string HighRisk = "high_risk";
    /// <summary>Charging the resident is a manager's call.</summary>
    public const string Chargeback = "chargeback";
    /// <summary>A credit on the resident's claim alone: no ledger review has found the charge wrong.</summary>
    public const string CreditUnverified = "credit_unverified_claim";
    /// <summary>The credit is above the auto-approval limit.</summary>
    public const string CreditAboveAutoLimit = "credit_above_auto_limit";
    /// <summary>The resident's goodwill credits in the rolling 12 months would pass the cap.</summary>
    public const string GoodwillCapExceeded = "goodwill_cap_exceeded";
    /// <summary>The LLM and the in-process rules disagree on urgency: a manager decides, not the system.</summary>
    public const string UrgencyDisagreement = "urgency_disagreement";
    /// <summary>No option satisfies every hard constraint: a person must decide.</summary>
    public const string NoFeasibleOption = "no_feasible_option";
}
