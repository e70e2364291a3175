namespace ApartmentManager.Learning.Evaluation;

/// <summary>How well one parameter set predicts the held-out outcomes.</summary>
/// <param name="ResolutionLogLikelihood">Mean log density (per outcome, hours) of the actual resolution time under the simulated log-normal (p50, p90); higher is better.</param>
/// <param name="ResolutionCalibrationError">Mean of |share of actual times at or below p50 − 0.5| and |share at or below p90 − 0.9|; lower is better.</param>
/// <param name="CostMeanAbsoluteError">Mean |actual cost − simulated median cost| (the median is the point forecast absolute error judges fairly); lower is better.</param>
/// <param name="EscalationBrier">Mean squared error of the escalation probability; lower is better.</param>
/// <param name="EscalationAuc">Area under the ROC curve of the escalation probability; higher is better.</param>
/// <param name="ResponseLogLikelihood">Mean log density (per outcome, hours) of the actual wait from dispatch to someone on site under the simulated waits (a kernel density over the Monte Carlo runs); higher is better.</param>
public sealed record Measures(
    int ResolutionOutcomes,
    double ResolutionLogLikelihood,
    double ResolutionCalibrationError,
    int CostOutcomes,
    double CostMeanAbsoluteError,
    int EscalationOutcomes,
    double EscalationBrier,
    double EscalationAuc,
    int ResponseOutcomes = 0,
    double ResponseLogLikelihood = 0);

/// <summary>One measure, current against candidate: "better", "same" (within the tolerance) or "worse".</summary>
/// <param name="Tolerance">How far the candidate must move to count as better or worse (for per-outcome measures at least two standard errors of the paired difference).</param>
public sealed record MeasureComparison(string Measure, double Current, double Candidate, bool HigherIsBetter, double Tolerance, string Verdict)
{
    public const string Better = "better";
    public const string Same = "same";
    public const string Worse = "worse";
}

/// <summary>
/// The held-out evaluation of a candidate: trained on the older outcomes, tested on the newer ones. Adopted only when
/// no measure is worse and at least one is better.
/// </summary>
/// <param name="SplitAt">Outcomes resolved before this were training data, the rest held out.</param>
/// <param name="CrewCapacity">The crew sizes estimated from observed waits, per pool and hour of day (the candidate's <c>crewCapacity</c> holds the shrunk values).</param>
/// <param name="RiskModel">Whether the risk model was retrained (on how many outcomes with a kept input row, how many skipped) or only recalibrated.</param>
public sealed record EvaluationReport(
    int TrainOutcomes,
    int TestOutcomes,
    DateTimeOffset SplitAt,
    string CurrentVersion,
    Measures Current,
    Measures Candidate,
    IReadOnlyList<MeasureComparison> Comparisons,
    bool Adopted,
    string Reason,
    string? RiskModel = null,
    IReadOnlyList<Recalibration.CapacityEstimate>? CrewCapacity = null);
