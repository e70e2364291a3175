using System.Text.Json;

namespace ApartmentManager.Workflow.Embedded;

/// <summary>Thrown inside a replay when the workflow must wait; the runner parks the instance until it is woken.</summary>
internal sealed class WorkflowSuspendedException(DateTimeOffset wakeAt, IReadOnlyList<string> awaitedEvents)
    : WorkflowInterruption("The workflow is waiting.")
{
    public DateTimeOffset WakeAt { get; } = wakeAt;
    public IReadOnlyList<string> AwaitedEvents { get; } = awaitedEvents;
}

/// <summary>A step kept failing after its retries.</summary>
public sealed class StepFailedException(string step, string reason) : Exception($"step '{step}' failed: {reason}")
{
    public string Step { get; } = step;
}

/// <summary>A replay met a recorded fact that does not match the workflow's call: the workflow code changed under a live instance.</summary>
public sealed class NonDeterministicWorkflowException(string instanceId, int sequence, string expected, string recorded)
    : WorkflowInterruption($"Workflow {instanceId} called '{expected}' at step {sequence} but the history recorded '{recorded}'.");

/// <summary>
/// Replays <see cref="RequestWorkflow"/> over recorded checkpoints. Each call gets the next sequence number; a
/// recorded result for that number is returned as is (no side effect runs twice), anything new runs and is recorded
/// with what follows: a step's checkpoint and the progress set after it are written together, in the
/// transaction of the next step's first write of the request when the step wrote the request itself (see
/// <see cref="WorkflowStore.Defer"/>), else in their own transaction right before the next step starts, or with the
/// wait or the run's final status (see <see cref="PendingWrites"/>).
/// </summary>
internal sealed class EmbeddedWorkflowContext(
    string instanceId,
    WorkflowStore store,
    IPipelineSteps steps,
    TimeProvider clock,
    CancellationToken cancellationToken) : IWorkflowContext
{
    private readonly Dictionary<(int, string), Checkpoint> _recorded =
        store.LoadCheckpoints(instanceId).ToDictionary(c => (c.Sequence, c.Kind));
    private int _sequence;
    private long? _replayTicks;
    private bool _previousStepWrote;

    /// <summary>Recorded by the run, not yet written; the runner writes what is left with the instance's final status.</summary>
    public PendingWrites Pending { get; } = new();

    public string InstanceId => instanceId;

    public DateTimeOffset CurrentUtcDateTime =>
        _replayTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : clock.GetUtcNow();

    public async Task<TResult> CallStepAsync<TResult>(WorkflowStep<TResult> step, StepInput input)
    {
        var seq = ++_sequence;
        var retry = step.Retry;
        if (_recorded.TryGetValue((seq, "step"), out var done))
        {
            EnsureSame(seq, step.Name, done);
            Replayed(done);
            return step.Deserialize(done.Payload!);
        }
        if (_recorded.TryGetValue((seq, "failed"), out var failed))
        {
            EnsureSame(seq, step.Name, failed);
            Replayed(failed);
            throw new StepFailedException(step.Name, failed.Payload ?? "unknown error");
        }
        _replayTicks = null;
        if (!_previousStepWrote)
        {
            // The step before left nothing durable of its own (or this is the run's first new step): what came before
            // this step is written on its own before it acts, as replay could not reconstruct it.
            store.Record(instanceId, Pending);
        }
        // Otherwise the previous step's checkpoint and progress ride along with this step's first write of the request
        // (same file, one transaction): the step's effect and the engine's record of what came before it commit together.
        // Until then only the previous step's checkpoint is unwritten, and its effect is durable: a process killed in
        // between replays that step, which finds its work done and answers from the request it wrote.
        using var deferred = store.Defer(instanceId, Pending);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var json = await step.RunAsync(steps, input, cancellationToken);
                // Whether this step's effect is durable: it committed a write in the shared file, taking what was pending.
                _previousStepWrote = deferred.Committed && Pending.IsEmpty;
                Pending.Checkpoints.Add(new Checkpoint(seq, "step", step.Name, json, clock.GetUtcNow().UtcTicks));
                return step.Deserialize(json);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= retry.MaxAttempts)
                {
                    // Recorded like a result, so a replay takes the same branch (as Durable's TaskFailed history event).
                    var reason = $"{e.Message} (after {attempt} attempt(s))";
                    _previousStepWrote = false; // the failure is recorded on its own before anything else acts
                    Pending.Checkpoints.Add(new Checkpoint(seq, "failed", step.Name, reason, clock.GetUtcNow().UtcTicks));
                    throw new StepFailedException(step.Name, reason);
                }
                await Task.Delay(retry.DelayBefore(attempt + 1), clock, cancellationToken);
            }
        }
    }

    public Task<WorkflowSignal?> WaitForSignalAsync(IReadOnlyList<string> eventNames, TimeSpan timeout)
    {
        var seq = ++_sequence;
        if (_recorded.TryGetValue((seq, "signal"), out var ended))
        {
            Replayed(ended);
            return Task.FromResult(ended.Name == "timeout" ? null : new WorkflowSignal(ended.Name, ended.Payload));
        }

        DateTimeOffset dueAt;
        if (_recorded.TryGetValue((seq, "wait"), out var started))
        {
            dueAt = new DateTimeOffset(long.Parse(started.Payload!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
        }
        else
        {
            dueAt = CurrentUtcDateTime + timeout;
            Pending.Checkpoints.Add(new Checkpoint(seq, "wait", string.Join(",", eventNames),
                dueAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), clock.GetUtcNow().UtcTicks));
        }
        _replayTicks = null;

        // One transaction: what is pending (the wait's checkpoint among it), the signal or timeout that ends the wait,
        // or else the instance parked as waiting until the wait is due.
        var (resolved, name, payload) = store.TryResolveWait(instanceId, seq, eventNames, timedOut: clock.GetUtcNow() >= dueAt, Pending, dueAt);
        if (!resolved)
        {
            throw new WorkflowSuspendedException(dueAt, eventNames);
        }
        _previousStepWrote = true; // everything pending was written with the wait's end
        return Task.FromResult(name is null ? null : new WorkflowSignal(name, payload));
    }

    public void SetProgress(WorkflowProgress progress)
    {
        if (_replayTicks is null)
        {
            Pending.Progress = JsonSerializer.Serialize(progress, WorkflowJsonContext.Default.WorkflowProgress);
        }
    }

    private void EnsureSame(int seq, string step, Checkpoint recorded)
    {
        if (recorded.Name != step)
        {
            throw new NonDeterministicWorkflowException(instanceId, seq, step, recorded.Name);
        }
    }

    private void Replayed(Checkpoint checkpoint) => _replayTicks = checkpoint.RecordedTicks;
}
