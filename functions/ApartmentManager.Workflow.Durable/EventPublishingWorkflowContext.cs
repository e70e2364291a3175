using ApartmentManager.Domain;
using ApartmentManager.Workflow;
using Microsoft.DurableTask;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// Decorates the Durable workflow port so that the steps other systems care about (a decision, a wait for a person,
/// an execution, the end: the steps whose declaration in <see cref="WorkflowSteps"/> names an event type) are followed
/// by a <see cref="RequestEvent"/> on topic <c>request-events</c>, sent by the activity named
/// <see cref="RequestEvent.PublishActivity"/> (the Functions app binds its result to Service Bus). Progress inside the
/// analysis steps stays in the custom status.
/// </summary>
public sealed class EventPublishingWorkflowContext(IWorkflowContext inner, TaskOrchestrationContext context) : IWorkflowContext
{
    private int published;

    public string InstanceId => inner.InstanceId;

    public DateTimeOffset CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public async Task<TResult> CallStepAsync<TResult>(WorkflowStep<TResult> step, StepInput input)
    {
        var result = await inner.CallStepAsync(step, input);
        if (step.EventType is { } type && step.Publishes(result))
        {
            var (status, detail) = Describe(result);
            if (result is ExecutionOutcome { Succeeded: false })
            {
                type = "request.execution_failed";
            }
            // Deterministic id (no Guid, no clock but the orchestration's): a replay rebuilds the same event.
            var requestEvent = new RequestEvent($"{InstanceId}:{step.Name}:{++published}", type, InstanceId, step.Name, status,
                input.OptionId, detail ?? input.Reason, CurrentUtcDateTime);
            await context.CallActivityAsync<string>(RequestEvent.PublishActivity, requestEvent,
                DurableWorkflowContext.ToTaskOptions(WorkflowSteps.BookkeepingRetry));
        }
        return result;
    }

    public Task<WorkflowSignal?> WaitForSignalAsync(IReadOnlyList<string> eventNames, TimeSpan timeout) =>
        inner.WaitForSignalAsync(eventNames, timeout);

    public void SetProgress(WorkflowProgress progress) => inner.SetProgress(progress);

    private static (RequestStatus? Status, string? Detail) Describe(object? result) => result switch
    {
        StepDone done => (done.Status, done.Detail),
        DecisionOutcome decision => (decision.Status, $"{Names.Of(decision.NextStep)}; recommended {decision.RecommendedOptionId}"),
        ExecutionOutcome execution => (null, execution.Succeeded ? string.Join(",", execution.ExecutionIds) : execution.Error),
        _ => (null, null),
    };
}
