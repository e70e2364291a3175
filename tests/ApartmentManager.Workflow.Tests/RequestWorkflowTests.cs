using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow.Tests;

public sealed class RequestWorkflowTests
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

    [Fact]
    public async Task Proceed_runs_every_step_in_order_and_resolves()
    {
        var (result, context) = await RunAsync();

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([WorkflowSteps.Classify.Name, WorkflowSteps.AskQuestion.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.Execute.Name, WorkflowSteps.TrackWork.Name, WorkflowSteps.Notify.Name, WorkflowSteps.AwaitConfirmation.Name, WorkflowSteps.Resolve.Name], _steps.Calls);
        Assert.Equal("opt-1", _steps.LastExecuteInput!.OptionId);
        // The only wait is for the resident's confirmation (unanswered here: resolved unconfirmed).
        Assert.Equal([WorkflowEvents.ResidentConfirmed, WorkflowEvents.ResidentReopened, WorkflowEvents.Escalated], Assert.Single(context.Waits).Names);
        Assert.Equal(WorkflowSteps.ExecutionRetry, context.Retries.Single(r => r.Step == WorkflowSteps.Execute.Name).Retry);
        Assert.Equal("Completed", context.Progress[^1].Step);
    }

    [Fact]
    public async Task Resident_choice_executes_the_chosen_option()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses, ResidentChoiceSla = TimeSpan.FromHours(48) };

        var (result, context) = await RunAsync(new WorkflowSignal(WorkflowEvents.OptionSelected, "opt-2"));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal("opt-2", _steps.LastExecuteInput!.OptionId);
        Assert.Equal(2, context.Waits.Count); // the choice, then the confirmation
        var wait = context.Waits[0];
        Assert.Equal(TimeSpan.FromHours(48), wait.Timeout);
        Assert.Contains(WorkflowEvents.OptionSelected, wait.Names);
        var waiting = context.Progress.Single(p => p.Step == WorkflowSteps.AwaitResident.Name);
        Assert.Equal(context.CurrentUtcDateTime.AddHours(48), waiting.DueAt);
        Assert.Equal(1, _steps.Count(WorkflowSteps.AwaitResident.Name));
    }

    [Fact]
    public async Task A_residents_pick_that_needs_approval_waits_for_a_manager_then_is_carried_out()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };
        _steps.Verdicts["opt-2"] = "approval";

        var (result, context) = await RunAsync(
            new WorkflowSignal(WorkflowEvents.OptionSelected, "opt-2"), new WorkflowSignal(WorkflowEvents.ManagerApproved, "opt-2"));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([OptionChooser.Resident, OptionChooser.Manager], _steps.ExecuteInputs.Select(i => i.ChosenBy));
        Assert.Equal(1, _steps.Count(WorkflowSteps.AwaitManager.Name));
        Assert.Equal(3, context.Waits.Count); // the choice, the approval, the confirmation
        Assert.Contains(WorkflowEvents.ManagerApproved, context.Waits[1].Names);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task A_pick_that_needs_approval_escalates_when_the_manager_rejects_or_never_answers()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };
        _steps.Verdicts["opt-2"] = "approval";

        var (rejected, _) = await RunAsync(
            new WorkflowSignal(WorkflowEvents.OptionSelected, "opt-2"), new WorkflowSignal(WorkflowEvents.ManagerRejected, "too costly"));
        Assert.Equal(RequestStatus.Escalated, rejected.Status);
        Assert.Contains("too costly", rejected.Detail);

        var (silent, _) = await RunAsync(new WorkflowSignal(WorkflowEvents.OptionSelected, "opt-2"), null);
        Assert.Equal(RequestStatus.Escalated, silent.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Notify.Name));
    }

    [Fact]
    public async Task The_systems_own_recommendation_is_rechecked_too()
    {
        // Proceed, yet the re-check (with today's facts) finds the option needs approval: it waits for a manager.
        _steps.Verdicts["opt-1"] = "approval";

        var (result, _) = await RunAsync(new WorkflowSignal(WorkflowEvents.ManagerApproved, null));

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([OptionChooser.System, OptionChooser.Manager], _steps.ExecuteInputs.Select(i => i.ChosenBy));
    }

    [Fact]
    public async Task A_forbidden_option_is_never_carried_out_whoever_chose_it()
    {
        _steps.Verdicts["opt-1"] = "forbidden";
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses, AutoSelectOnTimeout = true };

        var (timedOut, _) = await RunAsync((WorkflowSignal?)null);
        Assert.Equal(RequestStatus.Escalated, timedOut.Status);
        Assert.Equal(OptionChooser.Timeout, _steps.LastExecuteInput!.ChosenBy);
        Assert.Contains("chargeback_without_evidence", _steps.LastEscalateInput!.Reason);

        _steps.Decision = _steps.Decision with { NextStep = NextStep.ManagerApproves };
        var (approved, _) = await RunAsync(new WorkflowSignal(WorkflowEvents.ManagerApproved, "opt-1"));
        Assert.Equal(RequestStatus.Escalated, approved.Status);
        Assert.Equal(OptionChooser.Manager, _steps.LastExecuteInput!.ChosenBy);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Notify.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Compensate.Name));
    }

    [Fact]
    public async Task Choice_timeout_takes_the_recommendation_where_policy_allows()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses, AutoSelectOnTimeout = true };

        var (result, _) = await RunAsync((WorkflowSignal?)null);

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(1, _steps.Count(WorkflowSteps.SelectOption.Name));
        Assert.Equal("opt-1", _steps.LastExecuteInput!.OptionId);
    }

    [Fact]
    public async Task Choice_timeout_escalates_where_policy_does_not_allow_a_default()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses, AutoSelectOnTimeout = false };

        var (result, _) = await RunAsync((WorkflowSignal?)null);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Execute.Name));
        Assert.Contains("did not choose", _steps.LastEscalateInput!.Reason);
    }

    [Fact]
    public async Task Manager_approval_executes_and_rejection_escalates_with_the_reason()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ManagerApproves };
        var (approved, context) = await RunAsync(new WorkflowSignal(WorkflowEvents.ManagerApproved, null));
        Assert.Equal(RequestStatus.Resolved, approved.Status);
        Assert.Equal(TimeSpan.FromHours(4), context.Waits[0].Timeout);
        Assert.Equal("opt-1", _steps.LastExecuteInput!.OptionId);

        var rejectedSteps = new ScriptedSteps { Decision = _steps.Decision };
        var rejectedContext = new ScriptedContext(rejectedSteps);
        rejectedContext.Signals.Enqueue(new WorkflowSignal(WorkflowEvents.ManagerRejected, "too expensive"));
        var rejected = await RequestWorkflow.RunAsync(rejectedContext);
        Assert.Equal(RequestStatus.Escalated, rejected.Status);
        Assert.Contains("too expensive", rejectedSteps.LastEscalateInput!.Reason);
        Assert.Equal(0, rejectedSteps.Count(WorkflowSteps.Execute.Name));
    }

    [Fact]
    public async Task Approval_timeout_escalates()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ManagerApproves };

        var (result, _) = await RunAsync((WorkflowSignal?)null);

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Contains("no manager approved", _steps.LastEscalateInput!.Reason);
    }

    [Fact]
    public async Task Execution_failure_runs_compensation_then_escalates()
    {
        _steps.ExecutionSucceeds = false;

        var (result, _) = await RunAsync();

        Assert.Equal(RequestStatus.Escalated, result.Status);
        var calls = _steps.Calls.ToList();
        Assert.True(calls.IndexOf(WorkflowSteps.Compensate.Name) > calls.IndexOf(WorkflowSteps.Execute.Name));
        Assert.True(calls.IndexOf(WorkflowSteps.Escalate.Name) > calls.IndexOf(WorkflowSteps.Compensate.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Resolve.Name));
        Assert.Contains("vendor API down", _steps.LastEscalateInput!.Reason);
    }

    [Fact]
    public async Task A_manager_escalating_during_a_wait_stops_the_workflow()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };

        var (result, _) = await RunAsync(new WorkflowSignal(WorkflowEvents.Escalated, "resident called the office"));

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(0, _steps.Count(WorkflowSteps.Execute.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Escalate.Name)); // the manager escalated it already
    }

    [Fact]
    public async Task Transient_step_failures_are_retried_and_persistent_ones_escalate()
    {
        _steps.ClassifyFailuresBeforeSuccess = 2;
        var (recovered, _) = await RunAsync();
        Assert.Equal(RequestStatus.Resolved, recovered.Status);
        Assert.Equal(2, _steps.Count("Classify!"));

        var broken = new ScriptedSteps { ClassifyFailuresBeforeSuccess = 99 };
        var escalated = await RequestWorkflow.RunAsync(new ScriptedContext(broken) );
        Assert.Equal(RequestStatus.Escalated, escalated.Status);
        Assert.Equal(WorkflowSteps.AnalysisRetry.MaxAttempts, broken.Count("Classify!"));
        Assert.Equal(0, broken.Count(WorkflowSteps.PredictRisk.Name));
    }
}
