using ApartmentManager.Domain;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow;
using Microsoft.DurableTask;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>One activity call as the orchestrator made it.</summary>
internal sealed record ActivityCall(string Name, object? Input, TaskOptions? Options)
{
    public StepInput StepInput => Assert.IsType<StepInput>(Input);
}

/// <summary>
/// A <see cref="TaskOrchestrationContext"/> mocked with Moq, as the Durable docs recommend for unit-testing
/// orchestrators: activities answer from a script, every call is recorded in order, events and timers are
/// controllable tasks that honour their cancellation tokens (so a test sees which waits the orchestrator cancelled).
/// </summary>
internal sealed class OrchestrationHarness
{
    public const string InstanceId = "req_0123456789abcdef";
    public static readonly DateTime Now = new(2026, 11, 22, 9, 30, 0, DateTimeKind.Utc);

    public Mock<TaskOrchestrationContext> Context { get; } = new(MockBehavior.Strict);
    public List<ActivityCall> Calls { get; } = [];
    public List<object?> CustomStatuses { get; } = [];
    public Dictionary<string, TaskCompletionSource<string>> Events { get; } = [];
    public Dictionary<string, CancellationToken> EventTokens { get; } = [];
    public TaskCompletionSource Timer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public DateTime? TimerFireAt { get; private set; }
    public CancellationToken TimerToken { get; private set; }

    public DecisionOutcome Decision { get; set; } = Decided(NextStep.Proceed);
    public ExecutionOutcome Execution { get; set; } = new(true, ["wo-1"]);

    public OrchestrationHarness()
    {
        Context.SetupGet(c => c.InstanceId).Returns(InstanceId);
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        Context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(CustomStatuses.Add);

        // Every step runs through the one step activity (and the event publisher also returns a string); answer by the step its StepCall names, as JSON (as the activity does).
        Context.Setup(c => c.CallActivityAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
            {
                if (name.Name == RequestEventPublisher.Name)
                {
                    // The event publisher returns the serialized event (its Service Bus output).
                    Calls.Add(new ActivityCall(name.Name, input, options));
                    return Task.FromResult(RequestEventPublisher.Serialize((RequestEvent)input!));
                }
                Assert.Equal(WorkflowStepActivity.Name, name.Name);
                var call = Assert.IsType<StepCall>(input);
                Calls.Add(new ActivityCall(call.Step, call.Input, options));
                var step = WorkflowSteps.Find(call.Step);
                return Task.FromResult(step switch
                {
                    WorkflowStep<DecisionOutcome> decide => decide.Serialize(Decision),
                    WorkflowStep<ExecutionOutcome> execute => execute.Serialize(Execution),
                    WorkflowStep<StepDone> done => done.Serialize(new StepDone(RequestStatus.Decided, call.Step)),
                    _ => throw new InvalidOperationException($"The harness has no answer for step {call.Step}."),
                });
            });
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((fireAt, token) =>
            {
                TimerFireAt = fireAt;
                TimerToken = token;
                token.Register(() => Timer.TrySetCanceled(token));
                return Timer.Task;
            });
        Context.Setup(c => c.WaitForExternalEvent<string>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((name, token) =>
            {
                var source = Event(name);
                EventTokens[name] = token;
                token.Register(() => source.TrySetCanceled(token));
                return source.Task;
            });
    }

    public static DecisionOutcome Decided(NextStep next, bool autoSelect = true) =>
        new(next, "opt-recommended", TimeSpan.FromHours(48), TimeSpan.FromHours(4), autoSelect, RequestStatus.Decided);

    public TaskCompletionSource<string> Event(string name)
    {
        if (!Events.TryGetValue(name, out var source))
        {
            source = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Events[name] = source;
        }
        return source;
    }

    public Task<WorkflowResult> RunAsync() => RequestOrchestrator.RunAsync(Context.Object);

    /// <summary>The workflow steps called, without the event publisher in between.</summary>
    public IReadOnlyList<string> StepNames => [.. Calls.Where(c => c.Name != RequestEventPublisher.Name).Select(c => c.Name)];

    public IReadOnlyList<RequestEvent> PublishedEvents =>
        [.. Calls.Where(c => c.Name == RequestEventPublisher.Name).Select(c => Assert.IsType<RequestEvent>(c.Input))];

    public ActivityCall Step(string name) => Assert.Single(Calls, c => c.Name == name);
}
