using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Policy;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Decisions.Tests;

/// <summary>The re-check of the option about to be carried out, over a real SQLite request store.</summary>
public sealed class OptionGateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gate-").FullName;
    private readonly SqliteRequestStore _store;
    private readonly FakeClock _clock = new(TestRequests.Morning.AddHours(1));

    public OptionGateTests() =>
        _store = new SqliteRequestStore(new SqliteDatabase(Path.Combine(_dir, "requests.db"), SqliteRequestStore.Migrations));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OptionGate Gate(Action<DecisionOptions>? configure = null)
    {
        var options = TestRequests.Options(configure);
        return new OptionGate(options, new GoodwillHistory(_store, options, _clock), NullLogger<OptionGate>.Instance);
    }

    private static Task<ResidentRequest> BillingAsync(string id = "req-bill") =>
        TestRequests.SimulatedAsync(TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low, "I was charged a $400 late fee") with { Id = id });

    [Theory]
    [InlineData(OptionChooser.System)]
    [InlineData(OptionChooser.Resident)]
    [InlineData(OptionChooser.Timeout)]
    public async Task A_credit_waits_for_a_manager_whoever_chose_it(OptionChooser chooser)
    {
        var request = await BillingAsync();
        var verdict = await Gate().CheckAsync(request, OptionKinds.BillingCredit, chooser, approvedByManager: false);
        Assert.Equal(OptionVerdictKind.NeedsApproval, verdict.Kind);
        Assert.Contains(verdict.Findings, f => f.Code == PolicyCodes.CreditUnverified);
        // The amount is the standard one, never the $400 of the message.
        Assert.Equal(50m, request.Options.Single(o => o.Kind == OptionKinds.BillingCredit).Amount);
    }

    [Fact]
    public async Task A_managers_approval_lets_the_credit_through_and_the_ledger_review_needs_nothing()
    {
        var request = await BillingAsync();
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate().CheckAsync(request, OptionKinds.BillingCredit, OptionChooser.Manager, approvedByManager: true)).Kind);
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate().CheckAsync(request, OptionKinds.LedgerReview, OptionChooser.Resident, approvedByManager: false)).Kind);
    }

    [Fact]
    public async Task Goodwill_already_credited_in_the_window_counts_toward_the_cap()
    {
        // An earlier request of the same resident whose 50.00 credit was posted; and one posted 400 days ago.
        await StoreCreditedAsync("req-old-1", _clock.GetUtcNow().AddDays(-20));
        await StoreCreditedAsync("req-old-2", _clock.GetUtcNow().AddDays(-400));
        var request = await BillingAsync();

        var gate = Gate(o => o.Credits.GoodwillCapPerResident = 90);
        Assert.Equal(50m, (await gate.FactsAsync(request)).GoodwillCreditedInWindow);

        var verdict = await gate.CheckAsync(request, OptionKinds.BillingCredit, OptionChooser.Resident, approvedByManager: false);
        Assert.Contains(verdict.Findings, f => f.Code == PolicyCodes.GoodwillCapExceeded);
        var roomy = await Gate(o => o.Credits.GoodwillCapPerResident = 100).CheckAsync(request, OptionKinds.BillingCredit, OptionChooser.Resident, false);
        Assert.DoesNotContain(roomy.Findings, f => f.Code == PolicyCodes.GoodwillCapExceeded);
    }

    [Fact]
    public async Task An_option_that_breaks_a_hard_constraint_is_forbidden_even_to_a_manager_while_a_feasible_one_exists()
    {
        var request = await TestRequests.SimulatedAsync(TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.6, RiskLevel.Medium, "Pipe burst"));
        foreach (var (chooser, approved) in new[] { (OptionChooser.Resident, false), (OptionChooser.Manager, true) })
        {
            var verdict = await Gate().CheckAsync(request, OptionKinds.ScheduleBySla, chooser, approved);
            Assert.Equal(OptionVerdictKind.Forbidden, verdict.Kind);
            Assert.Contains(verdict.Findings, f => f.Code is PolicyCodes.EmergencyNotDispatched or PolicyCodes.OnSiteSlaExceeded);
        }
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate().CheckAsync(request, OptionKinds.DispatchNow, OptionChooser.System, false)).Kind);
    }

    [Fact]
    public async Task When_no_option_is_feasible_only_a_managers_approval_carries_one_out()
    {
        Action<DecisionOptions> impossible = o => o.Sla.Emergency.OnSiteHours = 0.17;
        var request = await TestRequests.SimulatedAsync(
            TestRequests.Make(Category.Electrical, Urgency.Emergency, 0.5, RiskLevel.Medium, "Sparks from the outlet"), TestRequests.Options(impossible));

        var unapproved = await Gate(impossible).CheckAsync(request, OptionKinds.DispatchNow, OptionChooser.System, approvedByManager: false);
        Assert.Equal(OptionVerdictKind.Forbidden, unapproved.Kind);
        Assert.Equal(PolicyCodes.OnSiteSlaExceeded, unapproved.Findings[0].Code);
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate(impossible).CheckAsync(request, OptionKinds.DispatchNow, OptionChooser.Manager, approvedByManager: true)).Kind);
    }

    [Fact]
    public async Task High_risk_needs_approval_for_the_residents_pick_but_not_for_an_emergency_dispatch()
    {
        var hvac = await TestRequests.SimulatedAsync(TestRequests.Make(Category.Hvac, Urgency.High, 0.75, RiskLevel.High, "No heat"));
        var verdict = await Gate().CheckAsync(hvac, hvac.Options[0].Id, OptionChooser.Resident, false);
        Assert.Contains(verdict.Findings, f => f.Code == PolicyCodes.HighRisk);

        var burst = await TestRequests.SimulatedAsync(TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.85, RiskLevel.Critical, "Pipe burst"));
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate().CheckAsync(burst, OptionKinds.DispatchNow, OptionChooser.System, false)).Kind);
    }

    [Fact]
    public async Task The_policy_compliance_constraint_reads_the_code_not_the_words()
    {
        var request = await BillingAsync();
        var review = request.Options.Single(o => o.Kind == OptionKinds.LedgerReview);
        // Notes that say "must" and "exceeds" but carry no coded violation break nothing; a coded one does, whatever its words.
        var wordy = review with { Simulation = review.Simulation with { PolicyNotes = ["You must read this; it exceeds nothing."] } };
        var coded = review with { Simulation = review.Simulation with { PolicyCompliant = false, Violations = [new PolicyFinding(PolicyCodes.OnSiteSlaExceeded, "late")] } };
        var context = new ConstraintContext(request, request.Classification!, request.Risk!, new DecisionOptions(), []);
        Assert.Null(new PolicyCompliance().Check(context, wordy));
        Assert.Equal(PolicyCodes.OnSiteSlaExceeded, new PolicyCompliance().Check(context, coded)!.Code);
    }

    [Fact]
    public async Task A_ledger_review_that_found_the_charge_wrong_verifies_the_credit_of_the_amount_it_found()
    {
        var now = _clock.GetUtcNow();
        var reviewed = Reviewed(await BillingAsync(), new LedgerFinding(true, 42.50m, "fee posted twice", "admin:m", now), now);

        Assert.True((await Gate().FactsAsync(reviewed)).ChargeFoundWrong);
        var credit = reviewed.Options.Single(o => o.Kind == OptionKinds.BillingCredit);
        Assert.Equal(42.50m, CreditAmount.Of(reviewed, credit, TestRequests.Options(null).CurrentValue));
        Assert.Equal(OptionVerdictKind.Allowed, (await Gate().CheckAsync(reviewed, OptionKinds.BillingCredit, OptionChooser.System, approvedByManager: false)).Kind);

        // Verified, but not past the policy's limits: the amount found is what the auto-approval limit is compared with.
        var above = await Gate(o => o.Credits.AutoApproveLimit = 40).CheckAsync(reviewed, OptionKinds.BillingCredit, OptionChooser.System, false);
        Assert.Equal(OptionVerdictKind.NeedsApproval, above.Kind);
        Assert.Equal([PolicyCodes.CreditAboveAutoLimit], above.Findings.Select(f => f.Code));
        Assert.Contains("42.50", above.Reason);
    }

    [Fact]
    public async Task A_ledger_review_that_found_the_charge_right_verifies_nothing()
    {
        var now = _clock.GetUtcNow();
        var reviewed = Reviewed(await BillingAsync(), new LedgerFinding(false, 0m, null, "admin:m", now), now);

        Assert.False((await Gate().FactsAsync(reviewed)).ChargeFoundWrong);
        var verdict = await Gate().CheckAsync(reviewed, OptionKinds.BillingCredit, OptionChooser.System, approvedByManager: false);
        Assert.Contains(verdict.Findings, f => f.Code == PolicyCodes.CreditUnverified);
    }

    /// <summary>The ledger review carried out and reported complete with <paramref name="finding"/>.</summary>
    private static ResidentRequest Reviewed(ResidentRequest request, LedgerFinding finding, DateTimeOffset now) =>
        (request with { Status = RequestStatus.Executing, SelectedOptionId = OptionKinds.LedgerReview })
            .StartWork(new WorkProgress("office_task", "wo-1", WorkState.Scheduled, null, now.AddHours(48), 0, []), now)
            .ReportWork(new WorkUpdate(WorkState.Completed, now, finding.FoundBy), null, "reviewed", now, finding);

    private async Task StoreCreditedAsync(string id, DateTimeOffset postedAt)
    {
        var request = await BillingAsync(id);
        var decided = request
            .WithDecision(new Decision(OptionKinds.BillingCredit, NextStep.ManagerApproves, [], [], "test", "p", postedAt), postedAt)
            .WithSelectedOption(OptionKinds.BillingCredit, "admin:m", postedAt)
            .WithExecution(new ExecutionRecord("ex-" + id, id + ":billing_credit:ledger", GoodwillHistory.LedgerAction, "billing_ledger",
                ExecutionStatus.Succeeded, 1, postedAt, postedAt, "led-1", null), postedAt);
        await _store.CreateAsync(decided with { CreatedAt = postedAt.AddMinutes(-5) });
    }

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
