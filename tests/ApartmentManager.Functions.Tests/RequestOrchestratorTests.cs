using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow;
using Microsoft.DurableTask;

namespace ApartmentManager.Functions.Tests;

public sealed class RequestOrchestratorTests
{
    [Fact]
    public async Task Proceed_calls_the_steps_in_order_with_their_retry_policies()
    {
        var harness = new OrchestrationHarness();

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.Execute.Name, WorkflowSteps.Notify.Name, WorkflowSteps.Resolve.Name],
            harness.StepNames);
        Assert.All(harness.Calls.Where(c => c.Name != RequestEventPublisher.Name),
            c => Assert.Equal(OrchestrationHarness.InstanceId, c.StepInput.RequestId));
        Assert.Equal("opt-recommended", harness.Step(WorkflowSteps.Execute.Name).StepInput.OptionId);

        AssertRetry(harness.Step(WorkflowSteps.Classify.Name).Options, attempts: 3, first: TimeSpan.FromSeconds(1), backoff: 2, max: TimeSpan.FromSeconds(10));
        AssertRetry(harness.Step(WorkflowSteps.Decide.Name).Options, attempts: 3, first: TimeSpan.FromSeconds(1), backoff: 2, max: TimeSpan.FromSeconds(10));
        AssertRetry(harness.Step(WorkflowSteps.Execute.Name).Options, attempts: 4, first: TimeSpan.FromSeconds(5), backoff: 2, max: TimeSpan.FromMinutes(1));
        AssertRetry(harness.Step(WorkflowSteps.Resolve.Name).Options, attempts: 5, first: TimeSpan.FromSeconds(1), backoff: 2, max: TimeSpan.FromSeconds(30));

        // Nothing waited for a person on this branch.
        Assert.Null(harness.TimerFireAt);
        Assert.Empty(harness.EventTokens);
    }

    [Fact]
    public async Task Progress_is_published_as_custom_status_ending_with_completed()
    {
        var harness = new OrchestrationHarness();

        await harness.RunAsync();

        var progress = harness.CustomStatuses.Select(s => Assert.IsType<WorkflowProgress>(s)).ToList();
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.Execute.Name, WorkflowSteps.Notify.Name, WorkflowSteps.Resolve.Name, "Completed"],
            progress.Select(p => p.Step));
        Assert.StartsWith("resolved:", progress[^1].Detail);
    }

    [Fact]
    public async Task Domain_events_follow_the_steps_that_matter_with_deterministic_ids()
    {
        var harness = new OrchestrationHarness();

        await harness.RunAsync();

        // The publisher runs right after the step it reports, before the next step starts.
        var names = harness.Calls.Select(c => c.Name).ToList();
        Assert.Equal(RequestEventPublisher.Name, names[names.IndexOf(WorkflowSteps.Decide.Name) + 1]);
        Assert.Equal(RequestEventPublisher.Name, names[names.IndexOf(WorkflowSteps.Execute.Name) + 1]);
        Assert.Equal(RequestEventPublisher.Name, names[names.IndexOf(WorkflowSteps.Resolve.Name) + 1]);

        var events = harness.PublishedEvents;
        Assert.Equal(["request.decided", "request.executed", "request.resolved"], events.Select(e => e.Type));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.Equal(OrchestrationHarness.InstanceId, e.RequestId));
        Assert.All(events, e => Assert.Equal(new DateTimeOffset(OrchestrationHarness.Now), e.OccurredAt));
        Assert.Equal($"{OrchestrationHarness.InstanceId}:{WorkflowSteps.Decide.Name}:1", events[0].EventId);

        // A replay of the same history rebuilds exactly the same events (no clock, no Guid).
        var replay = new OrchestrationHarness();
        await replay.RunAsync();
        Assert.Equal(events, replay.PublishedEvents);
    }

    [Fact]
    public async Task Resident_choice_arrives_before_the_sla_and_the_timer_is_cancelled()
    {
        var harness = new OrchestrationHarness { Decision = OrchestrationHarness.Decided(NextStep.ResidentChooses) };
        harness.Event(WorkflowEvents.OptionSelected).SetResult("opt-b");

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(OrchestrationHarness.Now + TimeSpan.FromHours(48), harness.TimerFireAt);
        Assert.True(harness.TimerToken.IsCancellationRequested, "the SLA timer must be cancelled when the choice wins");
        Assert.True(harness.Timer.Task.IsCanceled);
        Assert.Equal([WorkflowEvents.OptionSelected, WorkflowEvents.Escalated], harness.EventTokens.Keys);
        Assert.True(harness.EventTokens[WorkflowEvents.Escalated].IsCancellationRequested, "the losing event wait must be cancelled");
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.AwaitResident.Name, WorkflowSteps.Execute.Name, WorkflowSteps.Notify.Name, WorkflowSteps.Resolve.Name],
            harness.StepNames);
        Assert.Equal("opt-b", harness.Step(WorkflowSteps.Execute.Name).StepInput.OptionId);

        var waiting = harness.CustomStatuses.OfType<WorkflowProgress>().Single(p => p.Step == WorkflowSteps.AwaitResident.Name);
        Assert.Equal(WorkflowEvents.OptionSelected, waiting.AwaitedEvent);
        Assert.Equal(new DateTimeOffset(OrchestrationHarness.Now + TimeSpan.FromHours(48)), waiting.DueAt);
    }

    [Fact]
    public async Task Resident_choice_timer_wins_and_policy_takes_the_recommendation()
    {
        var harness = new OrchestrationHarness { Decision = OrchestrationHarness.Decided(NextStep.ResidentChooses, autoSelect: true) };
        harness.Timer.SetResult();

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.False(harness.TimerToken.IsCancellationRequested);
        Assert.All(harness.EventTokens.Values, token => Assert.True(token.IsCancellationRequested));
        Assert.All(harness.Events.Values, source => Assert.True(source.Task.IsCanceled));
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.AwaitResident.Name, WorkflowSteps.SelectOption.Name, WorkflowSteps.Execute.Name, WorkflowSteps.Notify.Name, WorkflowSteps.Resolve.Name],
            harness.StepNames);
        Assert.Equal("opt-recommended", harness.Step(WorkflowSteps.SelectOption.Name).StepInput.OptionId);
        Assert.Equal("opt-recommended", harness.Step(WorkflowSteps.Execute.Name).StepInput.OptionId);
    }

    [Fact]
    public async Task Resident_choice_timer_wins_without_auto_select_and_the_request_escalates()
    {
        var harness = new OrchestrationHarness { Decision = OrchestrationHarness.Decided(NextStep.ResidentChooses, autoSelect: false) };
        harness.Timer.SetResult();

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.AwaitResident.Name, WorkflowSteps.Escalate.Name], harness.StepNames);
        Assert.Contains("48 h", harness.Step(WorkflowSteps.Escalate.Name).StepInput.Reason);
        Assert.DoesNotContain(harness.Calls, c => c.Name == WorkflowSteps.Execute.Name);
        Assert.Equal("request.escalated", harness.PublishedEvents[^1].Type);
    }

    [Fact]
    public async Task Manager_approval_waits_four_hours_and_approval_proceeds()
    {
        var harness = new OrchestrationHarness { Decision = OrchestrationHarness.Decided(NextStep.ManagerApproves) };
        harness.Event(WorkflowEvents.ManagerApproved).SetResult("");

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Resolved, result.Status);
        Assert.Equal(OrchestrationHarness.Now + TimeSpan.FromHours(4), harness.TimerFireAt);
        Assert.True(harness.TimerToken.IsCancellationRequested);
        Assert.Equal(
            [WorkflowEvents.ManagerApproved, WorkflowEvents.ManagerRejected, WorkflowEvents.Escalated],
            harness.Events.Keys);
        Assert.Equal("opt-recommended", harness.Step(WorkflowSteps.Execute.Name).StepInput.OptionId);
        Assert.Contains("request.awaiting_manager_approval", harness.PublishedEvents.Select(e => e.Type));
    }

    [Fact]
    public async Task Manager_rejection_escalates_with_the_reason()
    {
        var harness = new OrchestrationHarness { Decision = OrchestrationHarness.Decided(NextStep.ManagerApproves) };
        harness.Event(WorkflowEvents.ManagerRejected).SetResult("too expensive");

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal([WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.AwaitManager.Name, WorkflowSteps.Escalate.Name], harness.StepNames);
        Assert.Equal("rejected by a manager: too expensive", harness.Step(WorkflowSteps.Escalate.Name).StepInput.Reason);
        AssertRetry(harness.Step(WorkflowSteps.Escalate.Name).Options, attempts: 5, first: TimeSpan.FromSeconds(1), backoff: 2, max: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Failed_execution_compensates_then_escalates()
    {
        var harness = new OrchestrationHarness { Execution = new ExecutionOutcome(false, [], "vendor gateway refused") };

        var result = await harness.RunAsync();

        Assert.Equal(RequestStatus.Escalated, result.Status);
        Assert.Equal(
            [WorkflowSteps.Classify.Name, WorkflowSteps.PredictRisk.Name, WorkflowSteps.Simulate.Name, WorkflowSteps.Decide.Name, WorkflowSteps.Execute.Name, WorkflowSteps.Compensate.Name, WorkflowSteps.Escalate.Name],
            harness.StepNames);
        Assert.Equal("vendor gateway refused", harness.Step(WorkflowSteps.Compensate.Name).StepInput.Reason);
        Assert.Equal(
            ["request.decided", "request.execution_failed", "request.compensated", "request.escalated"],
            harness.PublishedEvents.Select(e => e.Type));
    }

    [Fact]
    public void Retry_policies_map_onto_durable_retry_options()
    {
        Assert.Null(DurableWorkflowContext.ToTaskOptions(StepRetryPolicy.None));
        AssertRetry(DurableWorkflowContext.ToTaskOptions(new StepRetryPolicy(2, TimeSpan.FromSeconds(3))),
            attempts: 2, first: TimeSpan.FromSeconds(3), backoff: 2, max: TimeSpan.FromHours(1));
        // Looser than Durable allows: clamped instead of throwing inside a running orchestration.
        AssertRetry(DurableWorkflowContext.ToTaskOptions(new StepRetryPolicy(3, TimeSpan.Zero, 0.5, TimeSpan.FromMilliseconds(10))),
            attempts: 3, first: TimeSpan.FromSeconds(1), backoff: 1, max: TimeSpan.FromSeconds(1));
    }

    private static void AssertRetry(TaskOptions? options, int attempts, TimeSpan first, double backoff, TimeSpan max)
    {
        var policy = options?.Retry?.Policy;
        Assert.NotNull(policy);
        Assert.Equal(attempts, policy.MaxNumberOfAttempts);
        Assert.Equal(first, policy.FirstRetryInterval);
        Assert.Equal(backoff, policy.BackoffCoefficient);
        Assert.Equal(max, policy.MaxRetryInterval);
    }
}
