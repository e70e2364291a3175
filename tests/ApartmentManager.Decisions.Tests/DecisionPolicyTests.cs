using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Policy;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Tests;

public class DecisionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 12, 0, 0, TimeSpan.Zero);

    private static DecisionPolicy Policy(Action<DecisionOptions>? configure = null, InMemoryPolicyRetriever? retriever = null) =>
        new(TestRequests.Options(configure), new FixedTime(Now), retriever);

    private static async Task<(ResidentRequest Request, Decision Decision)> DecideAsync(
        ResidentRequest request, Action<DecisionOptions>? configure = null, InMemoryPolicyRetriever? retriever = null)
    {
        var options = TestRequests.Options(configure);
        var simulated = await TestRequests.SimulatedAsync(request, options, retriever);
        return (simulated, Policy(configure, retriever).Decide(simulated));
    }

    private static OptionScore ScoreOf(Decision d, string id) => d.Ranking.Single(s => s.OptionId == id);

    [Fact]
    public async Task Emergency_is_dispatched_and_proceeds_even_at_high_risk()
    {
        var (_, decision) = await DecideAsync(TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.85, RiskLevel.Critical, "Pipe burst, water everywhere"));

        Assert.True(OptionKinds.IsDispatch(decision.RecommendedOptionId));
        Assert.Contains("emergency_dispatch_within_sla", ScoreOf(decision, OptionKinds.ScheduleBySla).ViolatedConstraints);
        Assert.Equal(NextStep.Proceed, decision.NextStep);
        Assert.Equal(TimeSpan.FromHours(1), decision.ResponseSla);
        Assert.Contains("waived for an emergency dispatch", decision.Reasoning);
        Assert.Contains("Ruled out schedule_by_sla (emergency_dispatch_within_sla)", decision.Reasoning);
    }

    [Fact]
    public async Task Emergency_dispatch_that_cannot_meet_the_sla_is_ruled_out()
    {
        // A 10-minute on-site SLA no crew can meet: nothing is feasible, so a manager must approve.
        var (_, decision) = await DecideAsync(
            TestRequests.Make(Category.Electrical, Urgency.Emergency, 0.5, RiskLevel.Medium, "Sparks from the outlet"),
            o => o.Sla.Emergency.OnSiteHours = 0.17);

        Assert.All(decision.Ranking, s => Assert.Contains("emergency_dispatch_within_sla", s.ViolatedConstraints));
        Assert.Equal(NextStep.ManagerApproves, decision.NextStep);
        Assert.Contains("no option satisfies every hard constraint", decision.Reasoning);
        Assert.Equal(TimeSpan.FromHours(4), decision.ResponseSla);
    }

    [Fact]
    public async Task High_risk_needs_a_manager_when_not_an_emergency()
    {
        var (_, decision) = await DecideAsync(TestRequests.Make(Category.Hvac, Urgency.High, 0.75, RiskLevel.High, "No heat and it's freezing"));

        Assert.Equal(NextStep.ManagerApproves, decision.NextStep);
        Assert.Contains("risk is high", decision.Reasoning);
        Assert.Equal(TimeSpan.FromHours(4), decision.ResponseSla);
    }

    [Fact]
    public async Task When_the_llm_and_the_rules_disagree_on_urgency_a_manager_decides()
    {
        var agreed = TestRequests.Make(Category.Plumbing, Urgency.Normal, 0.2, RiskLevel.Low, "The faucet drips");
        var (_, alone) = await DecideAsync(agreed);
        Assert.NotEqual(NextStep.ManagerApproves, alone.NextStep);

        var disputed = TestRequests.Make(Category.Plumbing, Urgency.Normal, 0.2, RiskLevel.Low, "The faucet drips",
            evidence: [$"{ClassificationEvidence.UrgencyDisagreement}:llm=high,rules=normal"]);
        var (_, decision) = await DecideAsync(disputed);
        Assert.Equal(NextStep.ManagerApproves, decision.NextStep);
        Assert.Contains("disagree on urgency", decision.Reasoning);
    }

    [Fact]
    public async Task Manager_approval_level_comes_from_configuration()
    {
        var request = TestRequests.Make(Category.Hvac, Urgency.High, 0.75, RiskLevel.High, "No heat");
        var (_, decision) = await DecideAsync(request, o => o.ManagerApprovalRiskLevel = RiskLevel.Critical);
        Assert.NotEqual(NextStep.ManagerApproves, decision.NextStep);
    }

    [Fact]
    public async Task Self_help_is_ruled_out_for_high_urgency_but_allowed_for_normal()
    {
        var (_, high) = await DecideAsync(TestRequests.Make(Category.Appliance, Urgency.High, 0.3, RiskLevel.Medium, "Fridge stopped cooling"));
        Assert.Contains("no_self_help_when_unsafe", ScoreOf(high, OptionKinds.SelfHelpFollowUp).ViolatedConstraints);

        var (_, normal) = await DecideAsync(TestRequests.Make(Category.Appliance, Urgency.Normal, 0.2, RiskLevel.Low, "Fridge is noisy"));
        Assert.DoesNotContain("no_self_help_when_unsafe", ScoreOf(normal, OptionKinds.SelfHelpFollowUp).ViolatedConstraints);
    }

    [Fact]
    public async Task Chargeback_without_enough_evidence_is_ruled_out()
    {
        var (_, decision) = await DecideAsync(TestRequests.Make(Category.Appliance, Urgency.Normal, 0.2, RiskLevel.Low, "I accidentally cracked the oven door"));
        Assert.Contains("chargeback_requires_evidence", ScoreOf(decision, OptionKinds.RepairWithChargeback).ViolatedConstraints);
    }

    [Fact]
    public async Task Chargeback_with_evidence_is_allowed_but_needs_a_manager()
    {
        var request = TestRequests.Make(Category.Appliance, Urgency.Normal, 0.2, RiskLevel.Low,
            "I accidentally cracked the oven door, my fault, photo attached");
        // Make the chargeback the clear favourite so the approval rule for it is exercised.
        var (simulated, decision) = await DecideAsync(request, o =>
        {
            o.Weights.Cost = 5;
            o.ResidentChoiceMargin = 0;
        });

        Assert.Empty(ScoreOf(decision, OptionKinds.RepairWithChargeback).ViolatedConstraints);
        Assert.Equal(OptionKinds.RepairWithChargeback, decision.RecommendedOptionId);
        Assert.Equal(NextStep.ManagerApproves, decision.NextStep);
        Assert.Contains("charging the resident", decision.Reasoning);
        Assert.Equal(3, ResidentCauseEvidence.Find(simulated).Count);
    }

    [Fact]
    public async Task A_credit_above_the_maximum_is_ruled_out_by_the_code_the_simulator_recorded()
    {
        var (request, tooBig) = await DecideAsync(TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low, "You charged me twice!"),
            o => { o.Credits.GoodwillAmount = 300; });
        Assert.Contains("credit_within_limit", ScoreOf(tooBig, OptionKinds.BillingCredit).ViolatedConstraints);
        Assert.Equal(OptionKinds.LedgerReview, tooBig.RecommendedOptionId);
        var credit = request.Options.Single(o => o.Kind == OptionKinds.BillingCredit);
        var violation = Assert.Single(credit.Simulation.Violations!);
        Assert.Equal(PolicyCodes.CreditAboveMaximum, violation.Code);
        Assert.Contains(violation.Detail, credit.Simulation.PolicyNotes);
        Assert.Contains("credit_above_maximum", tooBig.Reasoning);
    }

    [Theory]
    [InlineData("My rent is wrong")]
    [InlineData("I was charged a $40 late fee")]
    [InlineData("I was charged a $20 fee in error")]
    public async Task A_credit_on_the_residents_claim_alone_never_proceeds(string message)
    {
        // Even with satisfaction weighted to make the credit win and no resident choice, the next step is a manager.
        var (_, decision) = await DecideAsync(TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low, message),
            o => { o.Weights.Satisfaction = 3; o.ResidentChoiceMargin = 0; });
        Assert.Equal(OptionKinds.BillingCredit, decision.RecommendedOptionId);
        Assert.Equal(NextStep.ManagerApproves, decision.NextStep);
        Assert.Contains("claim alone", decision.Reasoning);
    }

    [Fact]
    public async Task A_verified_credit_under_the_limits_proceeds_and_the_goodwill_cap_sends_it_to_a_manager()
    {
        var request = await TestRequests.SimulatedAsync(TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low, "Charged twice"),
            TestRequests.Options(o => o.Weights.Satisfaction = 3));
        var policy = Policy(o => { o.Weights.Satisfaction = 3; o.ResidentChoiceMargin = 0; });

        var verified = policy.Decide(request, new PolicyFacts(GoodwillCreditedInWindow: 0, ChargeFoundWrong: true));
        Assert.Equal(OptionKinds.BillingCredit, verified.RecommendedOptionId);
        Assert.Equal(NextStep.Proceed, verified.NextStep);

        var capped = policy.Decide(request, new PolicyFacts(GoodwillCreditedInWindow: 60, ChargeFoundWrong: true));
        Assert.Equal(NextStep.ManagerApproves, capped.NextStep);
        Assert.Contains("above the cap of 100.00", capped.Reasoning);
    }

    [Fact]
    public async Task Close_options_go_to_the_resident()
    {
        var (request, decision) = await DecideAsync(TestRequests.Make(Category.NoiseNeighbor, Urgency.Normal, 0.2, RiskLevel.Low, "Loud music every night"),
            o => o.ResidentChoiceMargin = 1.0);
        Assert.Equal(NextStep.ResidentChooses, decision.NextStep);
        Assert.Equal(TimeSpan.FromHours(48), decision.ResponseSla);
        Assert.Equal(request.Options.Count, decision.Ranking.Count);
    }

    [Fact]
    public async Task Ranking_is_feasible_first_then_by_score_and_breakdowns_sum_to_the_total()
    {
        var (_, decision) = await DecideAsync(TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.6, RiskLevel.Medium, "Toilet overflowing"));

        bool seenInfeasible = false;
        double previous = double.MaxValue;
        foreach (var score in decision.Ranking)
        {
            bool feasible = score.ViolatedConstraints.Count == 0;
            Assert.False(feasible && seenInfeasible, "a feasible option ranks below an infeasible one");
            if (!feasible && !seenInfeasible)
            {
                seenInfeasible = true;
                previous = double.MaxValue;
            }
            Assert.True(score.Total <= previous + 1e-12);
            previous = score.Total;
            // Each part is rounded on its own: the parts add up to the total within their rounding, not to 3 decimals
            // (0.68949999… and 0.6895 round apart).
            Assert.InRange(Math.Abs(score.Total - score.Breakdown.Values.Sum()), 0, 5e-4);
            Assert.Equal(["compliance", "cost", "safety", "satisfaction", "time"], score.Breakdown.Keys.Order());
        }
        Assert.Equal(decision.RecommendedOptionId, decision.Ranking[0].OptionId);
    }

    [Fact]
    public async Task Weights_change_the_ranking_and_their_version_is_recorded()
    {
        var request = TestRequests.Make(Category.Hvac, Urgency.High, 0.4, RiskLevel.Medium, "AC is out in a heat wave");
        var (_, cheap) = await DecideAsync(request, o => { o.Weights = new ScoringWeights { Version = "cost-only", Cost = 1, Safety = 0, Time = 0, Satisfaction = 0, Compliance = 0 }; });
        var (_, fast) = await DecideAsync(request, o => { o.Weights = new ScoringWeights { Version = "time-only", Time = 1, Safety = 0, Cost = 0, Satisfaction = 0, Compliance = 0 }; });

        Assert.EndsWith("/cost-only", cheap.PolicyVersion);
        Assert.EndsWith("/time-only", fast.PolicyVersion);
        Assert.NotEqual(cheap.RecommendedOptionId, fast.RecommendedOptionId);
    }

    [Fact]
    public async Task Decision_cites_retrieved_policy_and_states_its_reasons()
    {
        var retriever = new InMemoryPolicyRetriever();
        var (request, decision) = await DecideAsync(TestRequests.Make(Category.Hvac, Urgency.High, 0.75, RiskLevel.High, "No heat"), retriever: retriever);

        Assert.NotEmpty(decision.Citations);
        Assert.Contains(decision.Citations, c => c.DocumentId == "POL-040"); // manager approval policy
        Assert.Equal(decision.Citations.Count, decision.Citations.Select(c => (c.DocumentId, c.Section)).Distinct().Count());
        Assert.Contains("Constraints applied:", decision.Reasoning);
        Assert.Contains("largest contributions are", decision.Reasoning);
        Assert.Equal(Now, decision.DecidedAt);
        // The decision fits the request: the domain accepts it.
        var decided = request.WithDecision(decision, Now);
        Assert.Equal(RequestStatus.Decided, decided.Status);
    }

    [Fact]
    public void Requests_without_options_are_refused()
    {
        var request = TestRequests.Make(Category.Hvac, Urgency.High, 0.75, RiskLevel.High);
        Assert.Throws<RequestNotReadyException>(() => Policy().Decide(request));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
