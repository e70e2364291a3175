using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Execution.Tests;

public class ExecutionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    private static ResidentRequest Request(Category category, Urgency urgency, string message, params string[] kinds)
    {
        var sim = new OptionSimulation(2000, 1, 2, 100, 50, 150, 0.1, 0.8, true, []);
        return ResidentRequest.Create("req-p", "res-1", "B1", "4A", Channel.Sms, message, Now, "res-1")
            .WithClassification(new Classification(category, urgency, 0.9, [], [], "rules", "t"), Now)
            .WithRisk(new RiskAssessment(0.3, RiskLevel.Medium, [], "t"), Now)
            .WithOptions(kinds.Select(k => new ResolutionOption(k, k, k, "desc", sim, [])).ToList(), Now);
    }

    [Fact]
    public void Dispatch_opens_an_on_call_work_order_due_within_the_on_site_sla_and_texts_the_resident()
    {
        var request = Request(Category.Plumbing, Urgency.Emergency, "Burst pipe", OptionKinds.DispatchNow);
        var plan = ExecutionPlanner.ForOption(request, OptionKinds.DispatchNow, new DecisionOptions());

        var order = Assert.IsType<CreateWorkOrder>(plan.Actions[0]);
        Assert.Equal("on_call", order.Command.Assignee);
        Assert.Equal("emergency", order.Command.Priority);
        Assert.Equal(Now.AddHours(4), order.Command.DueBy);
        var notice = Assert.IsType<SendNotification>(plan.Actions[1]);
        Assert.Equal("sms", notice.Command.Channel);
        Assert.Equal(["dispatch_now:work_order", "dispatch_now:notify"], plan.Actions.Select(a => a.Step));
    }

    [Fact]
    public void A_billing_credit_posts_the_options_policy_amount_never_the_one_in_the_message()
    {
        var request = Request(Category.Billing, Urgency.Normal, "Charged $42.50 twice", OptionKinds.BillingCredit, OptionKinds.LedgerReview);
        var plan = ExecutionPlanner.ForOption(request, OptionKinds.BillingCredit, new DecisionOptions());

        var entry = Assert.IsType<PostLedgerEntry>(plan.Actions[0]);
        Assert.Equal(50.00m, entry.Command.Amount); // Decision:Credits:GoodwillAmount's default
        Assert.Equal("credit", entry.Command.EntryType);

        var withAmount = request with { Options = [.. request.Options.Select(o => o.Kind == OptionKinds.BillingCredit ? o with { Amount = 30m } : o)] };
        Assert.Equal(30m, Assert.IsType<PostLedgerEntry>(ExecutionPlanner.ForOption(withAmount, OptionKinds.BillingCredit, new DecisionOptions()).Actions[0]).Command.Amount);
    }

    [Fact]
    public async Task Every_option_kind_plans_valid_actions_that_execute_in_embedded_mode()
    {
        string[] kinds = typeof(OptionKinds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        var request = Request(Category.Billing, Urgency.High, "Charged $30 by mistake", kinds);
        using var harness = new ExecutionHarness();

        foreach (string kind in kinds)
        {
            var plan = ExecutionPlanner.ForOption(request, kind, new DecisionOptions());
            Assert.All(plan.Actions, a => Assert.Null(a.Problem()));
            var result = await harness.Executor.ExecuteAsync(plan);
            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        }
        Assert.Equal(kinds.Length * 2, (await harness.Executor.ListForRequestAsync(request.Id)).Count);
    }

    [Fact]
    public void Unknown_options_are_refused()
    {
        var request = Request(Category.Billing, Urgency.Normal, "?", OptionKinds.LedgerReview);
        Assert.Throws<UnknownOptionException>(() => ExecutionPlanner.ForOption(request, "nope", new DecisionOptions()));
    }
}
