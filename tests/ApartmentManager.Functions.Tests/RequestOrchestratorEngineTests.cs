using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.DurableTask.Client;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// Every branch of the workflow, run by the real Durable Task engine on the app's own orchestrator and activity
/// functions, with the SLAs set in seconds. The engine replays the orchestrator on every event (activity result,
/// timer, external event), so a nondeterministic orchestrator fails these tests.
/// </summary>
public sealed class RequestOrchestratorEngineTests : IAsyncLifetime
{
    private static readonly string[] Analysis = [WorkflowSteps.Classify.Name, WorkflowSteps.AskQuestion.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name];

    /// <summary>After execution with nothing left open: the resident is told and asked to confirm (unanswered here: resolved unconfirmed).</summary>
    private static readonly string[] FollowThrough = [WorkflowSteps.TrackWork.Name, WorkflowSteps.Notify.Name, WorkflowSteps.AwaitConfirmation.Name, WorkflowSteps.Resolve.Name];

    private readonly ScriptedSteps steps = new();
    private DurableEngine engine = null!;

    public async Task InitializeAsync() => engine = await DurableEngine.StartAsync(steps);

    public async Task DisposeAsync() => await engine.DisposeAsync();

    private void Decide(NextStep next, double slaSeconds = 30, bool autoSelect = false) =>
        steps.Decision = new DecisionOutcome(next, "opt-1", TimeSpan.FromSeconds(slaSeconds), TimeSpan.FromSeconds(slaSeconds), autoSelect, RequestStatus.Decided);

    [Fact]
    public async Task Proceed_runs_every_step_once_in_order_and_resolves()
    {
        var (instance, result) = await engine.RunAsync("req_proceed");

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.Execute.Name, .. FollowThrough], steps.Steps);
        Assert.Equal("opt-1", steps.InputOf(WorkflowSteps.Execute.Name).OptionId);
        Assert.All(steps.Calls, c => Assert.Equal("req_proceed", c.Input.RequestId));
        var progress = DurableWorkflowGateway.ReadProgress(instance.SerializedCustomStatus);
        Assert.Equal("Completed", progress?.Step);
    }

    [Fact]
    public async Task Resident_choice_by_signal_executes_the_chosen_option()
    {
        Decide(NextStep.ResidentChooses, slaSeconds: 600);

        var (_, result) = await engine.RunAsync("req_choice", async () =>
        {
            var waiting = await engine.WaitingInAsync("req_choice", WorkflowSteps.AwaitResident.Name);
            Assert.Equal(WorkflowEvents.OptionSelected, waiting.AwaitedEvent);
            await engine.Gateway.RaiseEventAsync("req_choice", WorkflowEvents.OptionSelected, "opt-2");
        });

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitResident.Name, WorkflowSteps.Execute.Name, .. FollowThrough], steps.Steps);
        Assert.Equal("opt-2", steps.InputOf(WorkflowSteps.Execute.Name).OptionId);
    }

    [Fact]
    public async Task Resident_timeout_with_auto_select_takes_the_recommendation()
    {
        Decide(NextStep.ResidentChooses, slaSeconds: 1, autoSelect: true);

        var (_, result) = await engine.RunAsync("req_auto");

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitResident.Name, WorkflowSteps.SelectOption.Name, WorkflowSteps.Execute.Name, .. FollowThrough], steps.Steps);
        Assert.Equal("opt-1", steps.InputOf(WorkflowSteps.SelectOption.Name).OptionId);
        Assert.Equal("opt-1", steps.InputOf(WorkflowSteps.Execute.Name).OptionId);
    }

    [Fact]
    public async Task Resident_timeout_without_auto_select_escalates()
    {
        Decide(NextStep.ResidentChooses, slaSeconds: 1, autoSelect: false);

        var (_, result) = await engine.RunAsync("req_noauto");

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitResident.Name, WorkflowSteps.Escalate.Name], steps.Steps);
        Assert.Contains("did not choose", steps.InputOf(WorkflowSteps.Escalate.Name).Reason);
    }

    [Fact]
    public async Task Manager_approval_executes_the_approved_option()
    {
        Decide(NextStep.ManagerApproves, slaSeconds: 600);

        var (_, result) = await engine.RunAsync("req_approve", async () =>
        {
            await engine.WaitingInAsync("req_approve", WorkflowSteps.AwaitManager.Name);
            await engine.Gateway.RaiseEventAsync("req_approve", WorkflowEvents.ManagerApproved, "opt-3");
        });

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitManager.Name, WorkflowSteps.Execute.Name, .. FollowThrough], steps.Steps);
        Assert.Equal("opt-3", steps.InputOf(WorkflowSteps.Execute.Name).OptionId);
    }

    [Fact]
    public async Task Manager_rejection_escalates_with_the_reason_and_executes_nothing()
    {
        Decide(NextStep.ManagerApproves, slaSeconds: 600);

        var (_, result) = await engine.RunAsync("req_reject", async () =>
        {
            await engine.WaitingInAsync("req_reject", WorkflowSteps.AwaitManager.Name);
            await engine.Gateway.RaiseEventAsync("req_reject", WorkflowEvents.ManagerRejected, "too expensive");
        });

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitManager.Name, WorkflowSteps.Escalate.Name], steps.Steps);
        Assert.Contains("too expensive", steps.InputOf(WorkflowSteps.Escalate.Name).Reason);
    }

    [Fact]
    public async Task Manager_timeout_escalates()
    {
        Decide(NextStep.ManagerApproves, slaSeconds: 1);

        var (_, result) = await engine.RunAsync("req_mgr_timeout");

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitManager.Name, WorkflowSteps.Escalate.Name], steps.Steps);
        Assert.Contains("no manager approved", steps.InputOf(WorkflowSteps.Escalate.Name).Reason);
    }

    [Fact]
    public async Task Escalation_while_waiting_stops_the_workflow_and_its_timer()
    {
        Decide(NextStep.ResidentChooses, slaSeconds: 600);

        var (_, result) = await engine.RunAsync("req_escalated", async () =>
        {
            await engine.WaitingInAsync("req_escalated", WorkflowSteps.AwaitResident.Name);
            await engine.Gateway.RaiseEventAsync("req_escalated", WorkflowEvents.Escalated, "manager took over");
        });

        // Completed long before the 600 s timer: the losing timer was cancelled, not waited for.
        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.AwaitResident.Name], steps.Steps);
    }

    [Fact]
    public async Task Failed_execution_compensates_then_escalates()
    {
        steps.Execution = new ExecutionOutcome(false, [], "crew booking refused");

        var (_, result) = await engine.RunAsync("req_exec_fail");

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([.. Analysis, WorkflowSteps.Execute.Name, WorkflowSteps.Compensate.Name, WorkflowSteps.Escalate.Name], steps.Steps);
        Assert.Equal("crew booking refused", steps.InputOf(WorkflowSteps.Compensate.Name).Reason);
        Assert.Contains("execution failed", steps.InputOf(WorkflowSteps.Escalate.Name).Reason);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_is_retried_by_policy_then_escalated()
    {
        steps.Failing = WorkflowSteps.Simulate.Name;

        var (_, result) = await engine.RunAsync("req_broken");

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(WorkflowSteps.AnalysisRetry.MaxAttempts, steps.Steps.Count(s => s == WorkflowSteps.Simulate.Name));
        Assert.DoesNotContain(WorkflowSteps.Decide.Name, steps.Steps);
        Assert.Equal(WorkflowSteps.Escalate.Name, steps.Steps[^1]);
        Assert.Contains("Simulate is broken", steps.InputOf(WorkflowSteps.Escalate.Name).Reason);
    }

    [Fact]
    public async Task The_orchestration_publishes_nothing_itself()
    {
        // Domain events are the request's history entries, published by the outbox dispatcher (the same catalogue as
        // single node); the orchestration runs only its steps.
        await engine.RunAsync("req_events");

        Assert.Contains(engine.Executed, e => e.Activity == WorkflowSteps.Resolve.Name);
        Assert.All(engine.Executed, e => Assert.Contains(e.Activity, WorkflowSteps.All.Select(s => s.Name)));
    }
}
