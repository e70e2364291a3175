using ApartmentManager.Workflow;
using Microsoft.DurableTask;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// The workflow port mapped onto Durable Functions. Everything here is replay-safe: steps are activities (their
/// results come from history on replay), waits are external events raced against a durable timer, the clock is the
/// orchestration clock, and progress is the instance's custom status.
/// </summary>
public sealed class DurableWorkflowContext(TaskOrchestrationContext context) : IWorkflowContext
{
    public string InstanceId => context.InstanceId;

    public DateTimeOffset CurrentUtcDateTime => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    /// <summary>
    /// Every step runs through the one activity named <see cref="DurableRequestOrchestrator.StepActivity"/>; its JSON
    /// result is read by the step's own declaration.
    /// </summary>
    public async Task<TResult> CallStepAsync<TResult>(WorkflowStep<TResult> step, StepInput input) =>
        step.Deserialize(await context.CallActivityAsync<string>(DurableRequestOrchestrator.StepActivity, new StepCall(step.Name, input), ToTaskOptions(step.Retry)));

    public async Task<WorkflowSignal?> WaitForSignalAsync(IReadOnlyList<string> eventNames, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfZero(eventNames.Count);
        using var timerCancellation = new CancellationTokenSource();
        using var eventCancellation = new CancellationTokenSource();

        var timer = context.CreateTimer(context.CurrentUtcDateTime.Add(timeout), timerCancellation.Token);
        var waits = new Task<string>[eventNames.Count];
        for (var i = 0; i < waits.Length; i++)
        {
            waits[i] = context.WaitForExternalEvent<string>(eventNames[i], eventCancellation.Token);
        }

        var first = await Task.WhenAny([timer, .. waits]);
        // The losers must not linger: an open timer keeps the instance alive until it fires, and an abandoned event
        // waiter would swallow a later event of the same name.
        eventCancellation.Cancel();
        if (ReferenceEquals(first, timer))
        {
            return null;
        }
        timerCancellation.Cancel();
        var index = Array.IndexOf(waits, first);
        return new WorkflowSignal(eventNames[index], await waits[index]);
    }

    public void SetProgress(WorkflowProgress progress) => context.SetCustomStatus(progress);

    /// <summary>The step's retry policy as Durable retry options; a single attempt needs none.</summary>
    public static TaskOptions? ToTaskOptions(StepRetryPolicy retry)
    {
        if (retry.MaxAttempts <= 1)
        {
            return null;
        }
        // Durable insists on a positive first interval, a coefficient of at least 1 and a cap no smaller than the
        // first interval; the port allows looser values, so clamp rather than fail a running orchestration.
        var first = retry.FirstDelay > TimeSpan.Zero ? retry.FirstDelay : TimeSpan.FromSeconds(1);
        TimeSpan? max = retry.MaxDelay is { } cap ? (cap < first ? first : cap) : null;
        return TaskOptions.FromRetryPolicy(new RetryPolicy(retry.MaxAttempts, first, Math.Max(1.0, retry.BackoffCoefficient), max));
    }
}
