namespace ApartmentManager.Workflow;

/// <summary>
/// The small port the workflow is written against. Implementations must make it deterministic under replay:
/// Durable Functions maps it onto <c>TaskOrchestrationContext</c>; the embedded runner checkpoints every step result,
/// event and timer in SQLite. The workflow must never read the clock, random numbers or I/O except through here.
/// </summary>
public interface IWorkflowContext
{
    /// <summary>The instance id, which is the request id.</summary>
    string InstanceId { get; }

    /// <summary>The orchestration clock (replay-safe).</summary>
    DateTimeOffset CurrentUtcDateTime { get; }

    /// <summary>Runs a declared step with its retry policy; its result is recorded so a replay never runs it again.</summary>
    Task<TResult> CallStepAsync<TResult>(WorkflowStep<TResult> step, StepInput input);

    /// <summary>Waits for the first of <paramref name="eventNames"/> to be raised, or null when <paramref name="timeout"/> passes first.</summary>
    Task<WorkflowSignal?> WaitForSignalAsync(IReadOnlyList<string> eventNames, TimeSpan timeout);

    /// <summary>Publishes progress (Durable custom status; embedded: the instance row), for the workflow endpoint.</summary>
    void SetProgress(WorkflowProgress progress);
}

/// <summary>Input of every step: the request, and the option or reason when the step needs one.</summary>
/// <param name="ChosenBy">Who chose <paramref name="OptionId"/> (for the execute step's re-check).</param>
/// <param name="Round">0 for the first dispatch; n for the dispatch after the n-th reopening (new actions, urgency raised n levels).</param>
public sealed record StepInput(string RequestId, string? OptionId = null, string? Reason = null,
    ApartmentManager.Application.Ports.OptionChooser? ChosenBy = null, int Round = 0);

/// <summary>An external event delivered to a waiting workflow.</summary>
public sealed record WorkflowSignal(string Name, string? Payload);

/// <summary>What the workflow is doing now: the step, and what it waits for and until when.</summary>
public sealed record WorkflowProgress(string Step, string? AwaitedEvent = null, DateTimeOffset? DueAt = null, string? Detail = null);

/// <summary>Retry policy for one step: attempts with exponential backoff.</summary>
public sealed record StepRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, double BackoffCoefficient = 2.0, TimeSpan? MaxDelay = null)
{
    public static readonly StepRetryPolicy None = new(1, TimeSpan.Zero);

    /// <summary>Delay before attempt <paramref name="attempt"/> (2, 3, …).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var delay = TimeSpan.FromTicks((long)(FirstDelay.Ticks * Math.Pow(BackoffCoefficient, attempt - 2)));
        return MaxDelay is { } max && delay > max ? max : delay;
    }
}

/// <summary>
/// Thrown by an engine to unwind a workflow that must wait (the embedded runner's suspension). The workflow never
/// catches it.
/// </summary>
public abstract class WorkflowInterruption(string message) : Exception(message);
