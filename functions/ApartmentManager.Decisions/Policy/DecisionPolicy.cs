using System.Globalization;
using System.Text;
using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions.Policy;

/// <summary>
/// Hard constraints first (violators can never be recommended while a feasible option exists), then a weighted
/// score over safety, time, cost, satisfaction and compliance, then the approval rules that decide the next step.
/// </summary>
public sealed class DecisionPolicy : IDecisionPolicy
{
    public const string Safety = "safety";
    public const string Time = "time";
    public const string Cost = "cost";
    public const string Satisfaction = "satisfaction";
    public const string Compliance = "compliance";

    private readonly IOptionsMonitor<DecisionOptions> _options;
    private readonly TimeProvider _time;
    private readonly IPolicyRetriever? _retriever;
    private readonly ILogger<DecisionPolicy> _logger;
    private readonly PolicyRules _rules;

    public DecisionPolicy(
        IOptionsMonitor<DecisionOptions> options,
        TimeProvider? time = null,
        IPolicyRetriever? retriever = null,
        ILogger<DecisionPolicy>? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _retriever = retriever;
        _logger = logger ?? NullLogger<DecisionPolicy>.Instance;
        _rules = PolicyRules.Standard;
    }

    public IReadOnlyList<IHardConstraint> Constraints => _rules.Constraints;

    public Decision Decide(ResidentRequest request, PolicyFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Classification is null || request.Risk is null)
        {
            throw new RequestNotReadyException($"Request '{request.Id}' must be classified and risk-scored before a decision.");
        }
        if (request.Options.Count == 0)
        {
            throw new RequestNotReadyException($"Request '{request.Id}' has no simulated options to decide on.");
        }

        var policy = _options.CurrentValue;
        var context = new ConstraintContext(request, request.Classification, request.Risk, policy, ResidentCauseEvidence.Find(request), facts);
        var scored = new List<(ResolutionOption Option, OptionScore Score)>(request.Options.Count);
        foreach (var option in request.Options)
        {
            scored.Add((option, Score(context, option)));
        }
        scored.Sort(static (a, b) =>
        {
            int feasible = (a.Score.ViolatedConstraints.Count == 0 ? 0 : 1).CompareTo(b.Score.ViolatedConstraints.Count == 0 ? 0 : 1);
            if (feasible != 0)
            {
                return feasible;
            }
            int total = b.Score.Total.CompareTo(a.Score.Total);
            return total != 0 ? total : string.CompareOrdinal(a.Option.Id, b.Option.Id);
        });

        var (recommended, best) = scored[0];
        bool anyFeasible = best.ViolatedConstraints.Count == 0;
        var approvalReasons = new List<string>();
        if (!anyFeasible)
        {
            approvalReasons.Add("no option satisfies every hard constraint");
        }
        foreach (var finding in _rules.ApprovalsNeeded(context, recommended))
        {
            approvalReasons.Add(finding.Detail);
        }

        int closeAlternatives = 0;
        foreach (var (_, score) in scored)
        {
            if (score.ViolatedConstraints.Count == 0 && best.Total - score.Total <= policy.ResidentChoiceMargin)
            {
                closeAlternatives++;
            }
        }

        var urgency = request.Classification.Urgency;
        NextStep next;
        TimeSpan sla;
        if (approvalReasons.Count > 0)
        {
            next = NextStep.ManagerApproves;
            sla = TimeSpan.FromHours(policy.ManagerApprovalSlaHours);
        }
        else if (urgency != Urgency.Emergency && closeAlternatives >= 2)
        {
            next = NextStep.ResidentChooses;
            sla = TimeSpan.FromHours(policy.ResidentChoiceSlaHours);
        }
        else
        {
            next = NextStep.Proceed;
            sla = TimeSpan.FromHours(context.Sla.ResponseHours);
        }

        var ranking = new List<OptionScore>(scored.Count);
        foreach (var (_, score) in scored)
        {
            ranking.Add(score);
        }
        string? parameters = recommended.Simulation.ParametersVersion;
        string reasoning = Explain(context, scored, approvalReasons, next, sla, closeAlternatives);
        if (parameters is not null)
        {
            reasoning += parameters == Calibration.LearnedParameters.PriorsVersion
                ? " Simulated with the configured priors."
                : $" Simulated with learned parameter set {parameters}.";
        }
        var decision = new Decision(
            recommended.Id, next, ranking, Citations(context, recommended, scored, approvalReasons.Count > 0), reasoning,
            $"{policy.PolicyVersion}/{policy.Weights.Version}", _time.GetUtcNow(), sla, parameters);

        _logger.LogInformation(
            "Decided request {RequestId}: recommend {OptionId} (score {Score:0.000}), next {NextStep}, {Feasible} feasible of {Options}",
            request.Id, recommended.Id, best.Total, next, CountFeasible(scored), scored.Count);
        return decision;
    }

    internal OptionScore Score(ConstraintContext context, ResolutionOption option)
    {
        var w = context.Policy.Weights;
        var s = option.Simulation;
        double resolutionScale = Math.Max(1, context.Sla.ResolutionHours);
        // Each criterion on 0..1, higher is better; the exponentials keep the scale meaningful for a single option too.
        double safety = Math.Clamp(1 - s.EscalationProbability, 0, 1);
        double time = Math.Exp(-Math.Max(0, s.P50Hours) / resolutionScale);
        double cost = Math.Exp(-Math.Max(0, s.ExpectedCost) / Math.Max(1, context.Policy.CostScale));
        double satisfaction = Math.Clamp(s.ExpectedSatisfaction, 0, 1);
        double compliance = s.PolicyCompliant ? 1 : 0;

        double weightSum = Math.Max(1e-9, w.Safety + w.Time + w.Cost + w.Satisfaction + w.Compliance);
        var breakdown = new Dictionary<string, double>(5)
        {
            [Safety] = Math.Round(w.Safety * safety / weightSum, 4),
            [Time] = Math.Round(w.Time * time / weightSum, 4),
            [Cost] = Math.Round(w.Cost * cost / weightSum, 4),
            [Satisfaction] = Math.Round(w.Satisfaction * satisfaction / weightSum, 4),
            [Compliance] = Math.Round(w.Compliance * compliance / weightSum, 4),
        };
        double total = 0;
        foreach (var value in breakdown.Values)
        {
            total += value;
        }

        var violated = new List<string>();
        foreach (var (constraint, _) in _rules.Violations(context, option))
        {
            violated.Add(constraint);
        }
        return new OptionScore(option.Id, Math.Round(total, 4), breakdown, violated);
    }

    private string Explain(
        ConstraintContext context, List<(ResolutionOption Option, OptionScore Score)> scored, List<string> approvalReasons,
        NextStep next, TimeSpan sla, int closeAlternatives)
    {
        var c = context.Classification;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"{Cap(CategoryProfile.Name(c.Category))} request, {c.Urgency.ToString().ToLowerInvariant()} urgency, {context.Risk.Level.ToString().ToLowerInvariant()} risk ({context.Risk.Probability:0.00}). ");

        var applied = new List<string>();
        foreach (var constraint in _rules.Constraints)
        {
            if (constraint.AppliesTo(context))
            {
                applied.Add(constraint.Name);
            }
        }
        sb.Append("Constraints applied: ").Append(string.Join(", ", applied)).Append(". ");
        foreach (var (option, score) in scored)
        {
            if (score.ViolatedConstraints.Count > 0)
            {
                if (_rules.Violations(context, option) is [var (constraint, why), ..])
                {
                    sb.Append("Ruled out ").Append(option.Id).Append(" (").Append(constraint).Append("): ").Append(why.Detail).Append(" [").Append(why.Code).Append("] ");
                }
            }
        }

        var (recommended, best) = scored[0];
        sb.Append(CultureInfo.InvariantCulture, $"Recommended {recommended.Id} with score {best.Total:0.000}; ");
        var top = TopFactors(best.Breakdown);
        sb.Append(CultureInfo.InvariantCulture, $"its largest contributions are {top[0].Key} ({top[0].Value:0.000}) and {top[1].Key} ({top[1].Value:0.000})");
        if (scored.Count > 1)
        {
            var (runnerUp, second) = scored[1];
            string? edge = null;
            double edgeValue = 0;
            foreach (var (key, value) in best.Breakdown)
            {
                double diff = value - second.Breakdown.GetValueOrDefault(key);
                if (diff > edgeValue)
                {
                    edgeValue = diff;
                    edge = key;
                }
            }
            sb.Append(CultureInfo.InvariantCulture, $"; it beats {runnerUp.Id} ({second.Total:0.000})");
            if (edge is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $" mostly on {edge} (+{edgeValue:0.000})");
            }
        }
        sb.Append(". ");

        if (context.Risk.Level >= context.Policy.ManagerApprovalRiskLevel && HighRiskNeedsManagerApproval.IsWaived(context, recommended))
        {
            sb.Append("Manager approval for high risk is waived for an emergency dispatch; the manager is informed instead. ");
        }
        sb.Append(next switch
        {
            NextStep.ManagerApproves => "Next: a manager approves, because " + string.Join("; ", approvalReasons),
            NextStep.ResidentChooses => $"Next: the resident chooses among {closeAlternatives} options within {context.Policy.ResidentChoiceMargin:0.00} of the best score",
            _ => "Next: proceed automatically",
        });
        sb.Append(CultureInfo.InvariantCulture, $" (response due within {sla.TotalHours:0.#} h).");
        return sb.ToString();
    }

    private List<PolicyCitation> Citations(
        ConstraintContext context, ResolutionOption recommended, List<(ResolutionOption Option, OptionScore Score)> scored, bool approval)
    {
        var seen = new HashSet<(string, string)>();
        var citations = new List<PolicyCitation>();
        void Add(PolicyCitation citation)
        {
            if (seen.Add((citation.DocumentId, citation.Section)))
            {
                citations.Add(citation);
            }
        }
        foreach (var citation in recommended.Citations)
        {
            Add(citation);
        }
        if (_retriever is not null)
        {
            var c = context.Classification;
            string query = $"{c.Urgency.ToString().ToLowerInvariant()} {CategoryProfile.Name(c.Category)} response time SLA"
                + (approval ? " manager approval escalation" : "");
            try
            {
                foreach (var chunk in _retriever.Retrieve(new RetrievalQuery(query, Top: 3)))
                {
                    Add(new PolicyCitation(chunk.DocumentId, chunk.Section, chunk.Title, Math.Round(chunk.Score, 4)));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Policy retrieval failed while deciding request {RequestId}", context.Request.Id);
            }
        }
        foreach (var (option, _) in scored)
        {
            foreach (var citation in option.Citations)
            {
                if (citations.Count >= 8)
                {
                    return citations;
                }
                Add(citation);
            }
        }
        return citations;
    }

    private static List<KeyValuePair<string, double>> TopFactors(IReadOnlyDictionary<string, double> breakdown)
    {
        var list = new List<KeyValuePair<string, double>>(breakdown);
        list.Sort(static (a, b) => b.Value.CompareTo(a.Value));
        return list;
    }

    private static int CountFeasible(List<(ResolutionOption Option, OptionScore Score)> scored)
    {
        int n = 0;
        foreach (var (_, score) in scored)
        {
            if (score.ViolatedConstraints.Count == 0)
            {
                n++;
            }
        }
        return n;
    }

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
