using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow.Tests;

/// <summary>The workflow around the decision: clarifying questions before, open work, confirmation and reopening after.</summary>
public sealed class LifecycleWorkflowTests
{
    private readonly ScriptedSteps _steps = new();

    private async Task<(WorkflowResult Result, ScriptedContext Context)> RunAsync(params WorkflowSignal?[] signals)
    {
        var context = new ScriptedContext(_steps);
        foreach (var signal in signals)
        {
            context.Signals.Enqueue(signal);
        }
        return (await RequestWorkflow.RunAsync(context), context);
    }

    private static WorkflowSignal Signal(string name, string? payload = null) => new(name, payload);

    [Fact]
    public async Task A_question_waits_for_the_reply_and_the_request_is_triaged_again()
    {
        _steps.QuestionsToAsk.Enqueue("Where in your home is the problem?");

        var (result, context) = await RunAsync(Signal(WorkflowEvents.ResidentReplied), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.AskQuestion.Name, WorkflowSteps.Classify.Name, WorkflowSteps.AskQuestion.Name, WorkflowSteps.PredictRisk.Name],
            _steps.Calls.Take(5));
        Assert.Equal(TimeSpan.FromHours(24), context.Waits[0].Timeout);
        Assert.Equal([WorkflowEvents.ResidentReplied, WorkflowEvents.Escalated], context.Waits[0].Names);
        Assert.Contains(context.Progress, p => p.AwaitedEvent == WorkflowEvents.ResidentReplied && p.Detail == "Where in your home is the problem?");
    }

    [Fact]
    public async Task No_reply_within_the_question_sla_hands_the_request_to_a_manager()
    {
        _steps.QuestionsToAsk.Enqueue("What exactly is broken?");

        var (result, _) = await RunAsync([null]);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Contains("did not answer", _steps.LastEscalateInput!.Reason);
        Assert.Equal(0, _steps.Count(WorkflowSteps.PredictRisk.Name));
    }

    [Fact]
    public async Task Open_work_is_followed_until_reported_complete_then_the_resident_confirms()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, now.AddHours(4), now.AddHours(24), RequestStatus.InProgress);

        var (result, context) = await RunAsync(
            Signal(WorkflowEvents.WorkUpdated, "assigned"), Signal(WorkflowEvents.WorkUpdated, "on_site"),
            Signal(WorkflowEvents.WorkCompleted, "completed"), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Contains("confirmed", result.Detail);
        // Until someone is on site the emergency's on-site SLA is the deadline, then the work's due time.
        Assert.Equal([TimeSpan.FromHours(4), TimeSpan.FromHours(4), TimeSpan.FromHours(24)], context.Waits.Take(3).Select(w => w.Timeout));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Resolve.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.PageOnCall.Name));
    }

    [Fact]
    public async Task Completed_office_work_settles_the_ledger_review_finding_before_the_resident_is_asked_to_confirm()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);
        _steps.Finding = new FindingOutcome(true, 42.50m, null, RequestStatus.AwaitingConfirmation);

        var (result, _) = await RunAsync(Signal(WorkflowEvents.WorkCompleted), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        var calls = _steps.Calls.ToList();
        Assert.Equal(1, _steps.Count(WorkflowSteps.SettleFinding.Name));
        Assert.True(calls.IndexOf(WorkflowSteps.SettleFinding.Name) < calls.IndexOf(WorkflowSteps.Notify.Name), string.Join(", ", calls));
    }

    private const string Held = "the ledger review found the charge wrong by 120.00; the credit of 120.00 needs a manager: credit_above_auto_limit";

    [Fact]
    public async Task A_verified_credit_the_policy_holds_waits_for_a_manager_whose_approval_posts_it_before_the_resident_confirms()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);
        _steps.Finding = new FindingOutcome(false, 120m, null, RequestStatus.AwaitingManagerApproval, NeedsApproval: Held, ApprovalSla: TimeSpan.FromHours(4));
        _steps.FindingAfterManager = new FindingOutcome(true, 120m, null, RequestStatus.AwaitingConfirmation);

        var (result, context) = await RunAsync(Signal(WorkflowEvents.WorkCompleted),
            Signal(WorkflowEvents.ManagerApproved, "billing_credit"), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Escalate.Name));
        var inputs = _steps.SettleFindingInputs.ToList();
        Assert.Equal(2, inputs.Count);
        Assert.Equal(OptionChooser.System, inputs[0].ChosenBy);
        Assert.Equal(OptionChooser.Manager, inputs[1].ChosenBy);
        Assert.Null(inputs[1].Reason);
        // The manager's wait is the approval's, with the policy's SLA and the held credit's reason on the progress.
        var wait = context.Waits.Single(w => w.Names.Contains(WorkflowEvents.ManagerApproved));
        Assert.Equal(TimeSpan.FromHours(4), wait.Timeout);
        Assert.Contains(context.Progress, p => p.AwaitedEvent == WorkflowEvents.ManagerApproved && p.Detail == Held);
        var calls = _steps.Calls.ToList();
        Assert.True(calls.LastIndexOf(WorkflowSteps.SettleFinding.Name) < calls.IndexOf(WorkflowSteps.Notify.Name), string.Join(", ", calls));
    }

    [Fact]
    public async Task A_held_credit_a_manager_rejects_posts_nothing_and_the_resident_is_told_and_asked_to_confirm()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);
        _steps.Finding = new FindingOutcome(false, 120m, null, RequestStatus.AwaitingManagerApproval, NeedsApproval: Held, ApprovalSla: TimeSpan.FromHours(4));
        _steps.FindingAfterManager = new FindingOutcome(false, 120m, null, RequestStatus.AwaitingConfirmation);

        var (result, _) = await RunAsync(Signal(WorkflowEvents.WorkCompleted),
            Signal(WorkflowEvents.ManagerRejected, "already refunded by bank transfer"), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Escalate.Name));
        var answered = _steps.SettleFindingInputs.Last();
        Assert.Equal(OptionChooser.Manager, answered.ChosenBy);
        Assert.Equal("already refunded by bank transfer", answered.Reason);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task A_held_credit_no_manager_answers_in_time_escalates_without_asking_the_resident()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);
        _steps.Finding = new FindingOutcome(false, 120m, null, RequestStatus.AwaitingManagerApproval, NeedsApproval: Held, ApprovalSla: TimeSpan.FromHours(4));

        var (result, _) = await RunAsync(Signal(WorkflowEvents.WorkCompleted), null);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Contains("no manager answered within 4 h", _steps.LastEscalateInput!.Reason);
        Assert.Equal(1, _steps.Count(WorkflowSteps.SettleFinding.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task A_finding_no_credit_option_can_carry_escalates_instead_of_asking_the_resident_to_confirm()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);
        _steps.Finding = new FindingOutcome(false, 120m, "the ledger review found the charge wrong by 120.00, but the request has no credit option: a manager posts the credit", RequestStatus.AwaitingConfirmation);

        var (result, _) = await RunAsync(Signal(WorkflowEvents.WorkCompleted));

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Contains("no credit option", _steps.LastEscalateInput!.Reason);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task Nothing_left_open_settles_no_finding()
    {
        var (result, _) = await RunAsync([null]);

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.SettleFinding.Name));
    }

    [Fact]
    public async Task An_emergency_with_no_one_on_site_in_time_pages_the_on_call_manager_and_escalates()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, now.AddHours(4), now.AddHours(24), RequestStatus.InProgress);

        var (result, _) = await RunAsync([null]);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(1, _steps.Count(WorkflowSteps.PageOnCall.Name));
        Assert.Contains("on site", _steps.LastEscalateInput!.Reason);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task Work_not_completed_by_its_due_time_escalates_without_paging()
    {
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        _steps.Work = new WorkOutcome(true, null, now.AddHours(120), RequestStatus.InProgress);

        var (result, context) = await RunAsync([null]);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(TimeSpan.FromHours(120), Assert.Single(context.Waits).Timeout);
        Assert.Equal(0, _steps.Count(WorkflowSteps.PageOnCall.Name));
        Assert.Contains("due time", _steps.LastEscalateInput!.Reason);
    }

    [Fact]
    public async Task Reopening_dispatches_again_one_round_later_and_the_second_reopening_escalates()
    {
        _steps.ConfirmationWindow = TimeSpan.FromHours(72);

        var (once, _) = await RunAsync(Signal(WorkflowEvents.ResidentReopened, "still leaking"), Signal(WorkflowEvents.ResidentConfirmed));

        Assert.Equal(RequestStatus.Resolved, once.Status);
        Assert.Equal([0, 1], _steps.ExecuteInputs.Select(i => i.Round));
        Assert.Equal(2, _steps.Count(WorkflowSteps.TrackWork.Name));
        Assert.Equal(2, _steps.Count(WorkflowSteps.Notify.Name));

        var twice = new ScriptedSteps { ConfirmationWindow = TimeSpan.FromHours(72) };
        var context = new ScriptedContext(twice);
        context.Signals.Enqueue(Signal(WorkflowEvents.ResidentReopened, "still leaking"));
        context.Signals.Enqueue(Signal(WorkflowEvents.ResidentReopened, "still leaking, again"));
        var result = await RequestWorkflow.RunAsync(context);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(2, twice.Count(WorkflowSteps.Execute.Name));
        Assert.Contains("reopened 2 times", twice.LastEscalateInput!.Reason);
    }

    [Fact]
    public async Task No_answer_within_the_confirmation_window_resolves_unconfirmed()
    {
        _steps.ConfirmationWindow = TimeSpan.FromHours(72);

        var (result, context) = await RunAsync([null]);

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Contains("unconfirmed", result.Detail);
        Assert.Equal(TimeSpan.FromHours(72), Assert.Single(context.Waits).Timeout);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Resolve.Name));
    }
}
