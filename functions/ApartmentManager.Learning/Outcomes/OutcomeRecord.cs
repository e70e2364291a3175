using ApartmentManager.Domain;

namespace ApartmentManager.Learning.Outcomes;

/// <summary>
/// One resolved request as the learning engine sees it: what it was, what was chosen, what the simulation predicted
/// when it was decided, and what really happened. A read model derived from the request (never edited by hand); its
/// JSON lines are the exported data set.
/// </summary>
/// <param name="HourOfDay">Hour of day (UTC, 0–24) the chosen option was carried out.</param>
/// <param name="RiskProbability">The risk model's probability before any learned shift (the shift a parameter set added is taken out again).</param>
/// <param name="ParametersVersion">The parameter set the decision was simulated with ("priors" when none).</param>
/// <param name="ResponseHours">From the option being carried out to someone first on site.</param>
/// <param name="FirstVisitHours">Length of the first visit: from first on site to the next report on the work (completed, or waiting for parts).</param>
/// <param name="ResolutionHours">From the option being carried out to the work last reported complete.</param>
/// <param name="Satisfaction">The resident's rating on 0–1 ((rating − 1) / 4, less 0.25 per reopening); null without a rating.</param>
/// <param name="RiskInputs">The risk model's input row as it was scored at decision time (what retraining learns from); null on outcomes of requests assessed before rows were kept.</param>
public sealed record OutcomeRecord(
    string RequestId,
    string Building,
    Category Category,
    Urgency Urgency,
    string OptionKind,
    DateTimeOffset FiledAt,
    DateTimeOffset DispatchedAt,
    DateTimeOffset ResolvedAt,
    double HourOfDay,
    double RiskProbability,
    RiskLevel RiskLevel,
    string? ParametersVersion,
    double SimulatedP50Hours,
    double SimulatedP90Hours,
    double SimulatedCost,
    double SimulatedSatisfaction,
    double? ResponseHours,
    double? FirstVisitHours,
    double? ResolutionHours,
    double? ActualCost,
    int ReopenCount,
    int? Rating,
    double? Satisfaction,
    bool Escalated,
    RiskInputs? RiskInputs = null)
{
    /// <summary>The log-odds shift a learned parameter set added to the risk model's output (its risk factor).</summary>
    public const string LearnedRiskFactor = "learned_escalation_history";

    /// <summary>The outcome of a resolved, decided request whose chosen option was carried out; null for any other request.</summary>
    public static OutcomeRecord? From(ResidentRequest r)
    {
        if (r.Status != RequestStatus.Resolved || r.Classification is not { } c || r.Risk is not { } risk || r.Decision is not { } decision
            || r.Resolution is null)
        {
            return null;
        }
        var optionId = r.SelectedOptionId ?? decision.RecommendedOptionId;
        var option = r.Options.FirstOrDefault(o => o.Id == optionId);
        if (option is null)
        {
            return null;
        }
        var outcome = RequestOutcome.Of(r);
        var dispatched = outcome.DispatchedAt ?? outcome.DecidedAt ?? r.CreatedAt;
        var resolved = outcome.ResolvedAt ?? r.Resolution.ResolvedAt;

        var updates = r.Work.SelectMany(w => w.Updates).OrderBy(u => u.At).ToList();
        var onSite = updates.FindIndex(u => u.State == WorkState.OnSite);
        double? firstVisit = onSite >= 0 && onSite + 1 < updates.Count ? Hours(updates[onSite].At, updates[onSite + 1].At) : null;

        double shift = risk.Factors.FirstOrDefault(f => f.Name == LearnedRiskFactor)?.Contribution ?? 0;
        double baseRisk = Shift(risk.Probability, -shift);

        double? satisfaction = outcome.Rating is { } rating
            ? Math.Clamp((rating - 1) / 4.0 - 0.25 * outcome.ReopenCount, 0, 1)
            : null;
        return new OutcomeRecord(
            r.Id, UnitAddress.NormalizeBuilding(r.Building), c.Category, c.Urgency, option.Kind,
            r.CreatedAt, dispatched, resolved, dispatched.UtcDateTime.TimeOfDay.TotalHours,
            baseRisk, risk.Level, option.Simulation.ParametersVersion ?? decision.ParametersVersion,
            option.Simulation.P50Hours, option.Simulation.P90Hours, option.Simulation.ExpectedCost, option.Simulation.ExpectedSatisfaction,
            outcome.OnSiteAt is { } at ? Hours(dispatched, at) : null,
            firstVisit,
            outcome.CompletedAt is { } done ? Hours(dispatched, done) : null,
            outcome.ActualCost is { } cost ? (double)cost : null,
            outcome.ReopenCount, outcome.Rating, satisfaction, outcome.Escalated, r.RiskInputs);
    }

    private static double Hours(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalHours);

    /// <summary>A probability moved by <paramref name="logOdds"/> on the log-odds scale.</summary>
    internal static double Shift(double probability, double logOdds)
    {
        if (logOdds == 0)
        {
            return probability;
        }
        double p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        return 1 / (1 + Math.Exp(-(Math.Log(p / (1 - p)) + logOdds)));
    }
}

/// <summary>The outcome data set (SQLite <c>learning.db</c> in single node; the Cosmos DB <c>platform</c> container in Azure).</summary>
public interface IOutcomeStore
{
    /// <summary>Adds or replaces outcomes by request id (a request reopened after resolution is recorded again when resolved).</summary>
    Task UpsertAsync(IReadOnlyList<OutcomeRecord> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Every outcome, oldest resolution first.</summary>
    Task<IReadOnlyList<OutcomeRecord>> ListAsync(CancellationToken cancellationToken = default);
}
