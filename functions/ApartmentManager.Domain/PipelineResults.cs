namespace ApartmentManager.Domain;

// The records the pipeline writes into a request's slots. Their JSON names are a published contract.

/// <summary>Step 1: what the message is about and how urgent it is.</summary>
/// <param name="Stage">Which stage decided: "rules", "model" or "llm".</param>
/// <param name="Prompt">When the LLM decided: the prompt template (id and version) it was asked with.</param>
public sealed record Classification(
    Category Category,
    Urgency Urgency,
    double Confidence,
    IReadOnlyList<Category> SecondaryCategories,
    IReadOnlyList<string> Evidence,
    string Stage,
    string ModelVersion,
    PromptRef? Prompt = null);

/// <summary>Marks a classification's <see cref="Classification.Evidence"/> may carry for the steps after it.</summary>
public static class ClassificationEvidence
{
    /// <summary>The LLM and the in-process rules and model disagreed on urgency: a manager decides, the system does not act alone.</summary>
    public const string UrgencyDisagreement = "urgency_disagreement";
}

/// <summary>One feature's signed push on the risk score (positive raises risk).</summary>
public sealed record RiskFactor(string Name, double Contribution, string? Value = null);

/// <summary>Step 2: probability that the issue escalates within 14 days.</summary>
public sealed record RiskAssessment(
    double Probability,
    RiskLevel Level,
    IReadOnlyList<RiskFactor> Factors,
    string ModelVersion);

/// <summary>
/// The risk model's input row exactly as it was scored (column names and values; null where a value was unknown), kept
/// on the request so the learning engine can retrain the model on real outcomes.
/// </summary>
public sealed record RiskInputs(IReadOnlyList<string> Names, IReadOnlyList<double?> Values);

/// <summary>A policy passage that informed an option or a decision.</summary>
public sealed record PolicyCitation(string DocumentId, string Section, string Title, double Score);

/// <summary>What simulating an option many times predicts.</summary>
/// <param name="PolicyNotes">Sentences for people: every finding below, and informative notes.</param>
/// <param name="Violations">The policy rules the simulated option breaks, by code (empty when <paramref name="PolicyCompliant"/>).</param>
/// <param name="ParametersVersion">The learned parameter set the simulation used ("priors" when none was active; null on records from before learning).</param>
public sealed record OptionSimulation(
    int Runs,
    double P50Hours,
    double P90Hours,
    double ExpectedCost,
    double CostLow,
    double CostHigh,
    double EscalationProbability,
    double ExpectedSatisfaction,
    bool PolicyCompliant,
    IReadOnlyList<string> PolicyNotes,
    IReadOnlyList<PolicyFinding>? Violations = null,
    string? ParametersVersion = null);

/// <summary>Step 3: one way the request could be resolved.</summary>
/// <param name="Kind">Machine name of the action, e.g. "dispatch_now", "schedule_by_sla", "billing_credit".</param>
/// <param name="Amount">Money the option moves by itself (a credit), from the policy's standard amounts — never from the message.</param>
/// <param name="DescriptionPrompt">When an LLM rewrote the description: the prompt template (id and version) it used.</param>
public sealed record ResolutionOption(
    string Id,
    string Kind,
    string Title,
    string Description,
    OptionSimulation Simulation,
    IReadOnlyList<PolicyCitation> Citations,
    decimal? Amount = null,
    PromptRef? DescriptionPrompt = null);

/// <summary>The score an option got under the decision policy, criterion by criterion.</summary>
public sealed record OptionScore(
    string OptionId,
    double Total,
    IReadOnlyDictionary<string, double> Breakdown,
    IReadOnlyList<string> ViolatedConstraints);

/// <summary>Step 4: ranked options, the recommendation, and what happens next.</summary>
/// <param name="ParametersVersion">The learned parameter set the options were simulated with ("priors" when none), so the decision can be explained and reproduced.</param>
public sealed record Decision(
    string RecommendedOptionId,
    NextStep NextStep,
    IReadOnlyList<OptionScore> Ranking,
    IReadOnlyList<PolicyCitation> Citations,
    string Reasoning,
    string PolicyVersion,
    DateTimeOffset DecidedAt,
    TimeSpan? ResponseSla = null,
    string? ParametersVersion = null);

/// <summary>Step 5: one action carried out through a gateway (work order, notification, ledger entry).</summary>
public sealed record ExecutionRecord(
    string Id,
    string IdempotencyKey,
    string Action,
    string Gateway,
    ExecutionStatus Status,
    int Attempts,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string? ExternalReference,
    string? Error);

/// <summary>How a request ended, as told by the resident or an admin.</summary>
/// <param name="Confirmed">true: the resident confirmed the fix; false: the confirmation window passed without an answer
/// (resolved, unconfirmed); null: closed by an admin or by the system.</param>
public sealed record Resolution(string Outcome, int? Rating, string ResolvedBy, DateTimeOffset ResolvedAt, bool? Confirmed = null);

/// <summary>One entry of a request's append-only history.</summary>
/// <param name="Event">What happened, e.g. "created", "status_changed", "classified".</param>
/// <param name="Actor">Who did it: a resident id, "admin:&lt;sub&gt;", or "system".</param>
public sealed record HistoryEntry(
    DateTimeOffset At,
    string Event,
    string Actor,
    RequestStatus? From = null,
    RequestStatus? To = null,
    string? Detail = null,
    string? TraceParent = null);
