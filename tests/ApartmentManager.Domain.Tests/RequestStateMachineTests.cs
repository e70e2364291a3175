using ApartmentManager.Domain;

namespace ApartmentManager.Domain.Tests;

public sealed class RequestStateMachineTests
{
    // Written out independently of the implementation: the lifecycle as the product describes it.
    private static readonly HashSet<string> Allowed =
    [
        "received>classified", "received>escalated", "received>cancelled", "received>failed",
        "classified>risk_assessed", "classified>awaiting_resident_info", "classified>escalated", "classified>cancelled", "classified>failed",
        "awaiting_resident_info>classified", "awaiting_resident_info>escalated", "awaiting_resident_info>cancelled", "awaiting_resident_info>failed",
        "risk_assessed>options_simulated", "risk_assessed>escalated", "risk_assessed>cancelled", "risk_assessed>failed",
        "options_simulated>decided", "options_simulated>escalated", "options_simulated>cancelled", "options_simulated>failed",
        "decided>awaiting_resident_choice", "decided>awaiting_manager_approval", "decided>executing",
        "decided>escalated", "decided>cancelled", "decided>failed",
        "awaiting_resident_choice>executing", "awaiting_resident_choice>awaiting_manager_approval", "awaiting_resident_choice>escalated", "awaiting_resident_choice>cancelled", "awaiting_resident_choice>failed",
        // A ledger review's verified credit the policy holds waits for a manager, then for the resident's confirmation.
        "awaiting_manager_approval>executing", "awaiting_manager_approval>awaiting_confirmation", "awaiting_manager_approval>escalated", "awaiting_manager_approval>cancelled", "awaiting_manager_approval>failed",
        "executing>in_progress", "executing>awaiting_confirmation", "executing>resolved", "executing>escalated", "executing>failed",
        "in_progress>awaiting_confirmation", "in_progress>resolved", "in_progress>escalated", "in_progress>cancelled", "in_progress>failed",
        "awaiting_confirmation>resolved", "awaiting_confirmation>executing", "awaiting_confirmation>awaiting_manager_approval", "awaiting_confirmation>escalated",
        "awaiting_confirmation>cancelled", "awaiting_confirmation>failed",
        "escalated>executing", "escalated>awaiting_confirmation", "escalated>resolved", "escalated>cancelled",
        "failed>escalated",
    ];

    public static TheoryData<RequestStatus, RequestStatus> AllPairs()
    {
        var data = new TheoryData<RequestStatus, RequestStatus>();
        foreach (var from in Enum.GetValues<RequestStatus>())
        {
            foreach (var to in Enum.GetValues<RequestStatus>())
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_transition_is_allowed_or_refused_as_the_lifecycle_says(RequestStatus from, RequestStatus to)
    {
        var expected = Allowed.Contains($"{Names.Of(from)}>{Names.Of(to)}");
        var request = Sample() with { Status = from };

        Assert.Equal(expected, RequestStateMachine.CanTransition(from, to));
        if (expected)
        {
            var moved = request.TransitionTo(to, "tester", Sample().CreatedAt.AddMinutes(1));
            Assert.Equal(to, moved.Status);
            Assert.Equal(from, moved.History[^1].From);
            Assert.Equal(to, moved.History[^1].To);
        }
        else
        {
            var e = Assert.Throws<InvalidTransitionException>(() => request.TransitionTo(to, "tester", Sample().CreatedAt));
            Assert.Contains(Names.Of(from), e.Message);
            Assert.Contains(Names.Of(to), e.Message);
        }
    }

    [Fact]
    public void Resolved_and_cancelled_are_terminal()
    {
        Assert.Empty(RequestStateMachine.NextStatuses(RequestStatus.Resolved));
        Assert.Empty(RequestStateMachine.NextStatuses(RequestStatus.Cancelled));
        Assert.True(RequestStateMachine.IsTerminal(RequestStatus.Resolved));
        Assert.False(RequestStateMachine.IsTerminal(RequestStatus.Escalated));
    }

    [Fact]
    public void History_is_append_only_across_the_happy_path()
    {
        var t = Sample().CreatedAt;
        var request = Sample()
            .WithClassification(new Classification(Category.Plumbing, Urgency.High, 0.93, [], ["leak"], "rules", "v1"), t.AddSeconds(1))
            .WithRisk(new RiskAssessment(0.4, RiskLevel.Medium, [new RiskFactor("urgency", 0.2)], "v1"), t.AddSeconds(2))
            .WithOptions([Option("opt-1"), Option("opt-2")], t.AddSeconds(3))
            .WithDecision(new Decision("opt-1", NextStep.ResidentChooses, [], [], "because", "p1", t.AddSeconds(4)), t.AddSeconds(4))
            .TransitionTo(RequestStatus.AwaitingResidentChoice, "system", t.AddSeconds(5))
            .SelectOption("opt-2", "res-1", t.AddSeconds(6))
            .TransitionTo(RequestStatus.Executing, "system", t.AddSeconds(7))
            .Resolve("fixed", 5, "res-1", t.AddSeconds(8));

        Assert.Equal(RequestStatus.Resolved, request.Status);
        Assert.Equal("opt-2", request.SelectedOptionId);
        Assert.Equal(9, request.History.Count);
        Assert.True(request.History.Zip(request.History.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.Equal(5, request.Resolution!.Rating);
    }

    [Fact]
    public void Selecting_an_option_requires_waiting_for_the_choice_and_a_known_option()
    {
        var t = Sample().CreatedAt;
        var waiting = Sample() with { Status = RequestStatus.AwaitingResidentChoice, Options = [Option("opt-1")] };

        Assert.Throws<UnknownOptionException>(() => waiting.SelectOption("opt-9", "res-1", t));
        Assert.Throws<DomainException>(() => (waiting with { Status = RequestStatus.Executing }).SelectOption("opt-1", "res-1", t));
        Assert.Equal("opt-1", waiting.SelectOption("opt-1", "res-1", t).SelectedOptionId);
    }

    [Fact]
    public void A_decision_must_recommend_one_of_the_options()
    {
        var withOptions = Sample() with { Status = RequestStatus.OptionsSimulated, Options = [Option("opt-1")] };
        var decision = new Decision("opt-404", NextStep.Proceed, [], [], "", "p1", withOptions.CreatedAt);

        Assert.Throws<DomainException>(() => withOptions.WithDecision(decision, withOptions.CreatedAt));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Ratings_outside_one_to_five_are_refused(int rating)
    {
        var executing = Sample() with { Status = RequestStatus.Executing };
        Assert.Throws<ArgumentOutOfRangeException>(() => executing.Resolve("done", rating, "res-1", executing.CreatedAt));
    }

    [Fact]
    public void A_question_takes_one_reply_and_triage_reads_both_texts()
    {
        var t = Sample().CreatedAt;
        var classified = Sample() with { Status = RequestStatus.Classified };
        var asked = classified.Ask(new ClarifyingQuestion(1, "location_missing", "Where?", t, t.AddHours(24)), t);

        Assert.Equal(RequestStatus.AwaitingResidentInfo, asked.Status);
        Assert.Equal("Where?", asked.Question!.Text);
        var replied = asked.Reply("under the bathroom sink", "res-1", t.AddMinutes(5));
        Assert.Null(replied.Question);
        Assert.Equal("sink leaks\nunder the bathroom sink", replied.TriageText);
        Assert.Throws<DomainException>(() => replied.Reply("again", "res-1", t.AddMinutes(6)));
        Assert.Equal(1, replied.Outcome.QuestionsAsked);
    }

    [Fact]
    public void Work_is_reported_complete_confirmed_and_reopened_with_an_outcome_record()
    {
        var t = Sample().CreatedAt;
        var executing = Sample() with { Status = RequestStatus.Executing };
        var work = new WorkProgress("work_order", "wo-1", WorkState.Scheduled, t.AddHours(4), t.AddHours(24), 0, []);
        var inProgress = executing.StartWork(work, t.AddMinutes(1));
        Assert.Equal(RequestStatus.InProgress, inProgress.Status);
        Assert.Throws<DomainException>(() => inProgress.Confirm("fixed", 5, "res-1", t));

        var onSite = inProgress.ReportWork(new WorkUpdate(WorkState.OnSite, t.AddHours(1), "maintenance", "e1"), null, null, t.AddHours(1));
        Assert.Equal(RequestStatus.InProgress, onSite.Status);
        var done = onSite.ReportWork(new WorkUpdate(WorkState.Completed, t.AddHours(2), "maintenance", "e2"), 120m, "fixed", t.AddHours(2));
        Assert.Equal(RequestStatus.AwaitingConfirmation, done.Status);
        Assert.True(done.CurrentWork!.HasEvent("e2"));

        var reopened = done.Reopen("still drips", "res-1", t.AddHours(3));
        Assert.Equal(RequestStatus.Executing, reopened.Status);
        Assert.Equal(1, reopened.ReopenCount);

        var confirmed = done.Confirm("dry", 4, "res-1", t.AddHours(3));
        var outcome = confirmed.Outcome;
        Assert.Equal(RequestStatus.Resolved, confirmed.Status);
        Assert.Equal((t.AddHours(1), t.AddHours(2), t.AddHours(3)), (outcome.OnSiteAt!.Value, outcome.CompletedAt!.Value, outcome.ConfirmedAt!.Value));
        Assert.Equal(120m, outcome.ActualCost);
        Assert.Equal(4, outcome.Rating);
        Assert.False(outcome.Unconfirmed);

        var unconfirmed = done.ResolveUnconfirmed(TimeSpan.FromHours(72), t.AddHours(80));
        Assert.True(unconfirmed.Outcome.Unconfirmed);
        Assert.Null(unconfirmed.Outcome.ConfirmedAt);
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        Assert.Equal("security_access", Names.Of(Category.SecurityAccess));
        Assert.True(Names.TryParse<RequestStatus>("awaiting_manager_approval", out var s));
        Assert.Equal(RequestStatus.AwaitingManagerApproval, s);
        Assert.False(Names.TryParse<RequestStatus>("3", out _));
        Assert.False(Names.TryParse<RequestStatus>("Received", out _));
    }

    private static ResidentRequest Sample() => ResidentRequest.Create("req_1", "res-1", "maple", "4B", Channel.Web, "sink leaks",
        new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), "res-1");

    private static ResolutionOption Option(string id) => new(id, "dispatch_now", "Dispatch", "A technician comes today",
        new OptionSimulation(2000, 3, 6, 180, 120, 260, 0.05, 4.2, true, []), []);
}

public sealed class UnitAddressTests
{
    [Theory]
    [InlineData("12a", "12A")]
    [InlineData("12 A", "12A")]
    [InlineData("12A", "12A")]
    [InlineData(" 12-a ", "12A")]
    [InlineData("#12A", "12A")]
    [InlineData("b.4", "B4")]
    public void Units_have_one_spelling(string typed, string canonical) => Assert.Equal(canonical, UnitAddress.NormalizeUnit(typed));

    [Theory]
    [InlineData("Maple Court", "maple court")]
    [InlineData("  maple   COURT ", "maple court")]
    [InlineData("maple-court", "maple-court")]
    public void Buildings_have_one_spelling(string typed, string canonical) => Assert.Equal(canonical, UnitAddress.NormalizeBuilding(typed));
}
