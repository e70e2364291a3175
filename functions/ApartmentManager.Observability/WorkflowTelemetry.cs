using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Observability;

/// <summary>The pipeline's workflow: a span per step run, step latency, decisions by next step, executions by outcome.</summary>
public static class WorkflowTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.Workflow, TelemetryNames.Version);
    private static readonly Meter Meter = new(TelemetryNames.Workflow, TelemetryNames.Version);

    /// <summary><c>am.workflow.step.duration</c> (s), by <c>step</c> and <c>outcome</c> (ok | error).</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram("am.workflow.step.duration", "s",
        "Time one workflow step took, by step and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary><c>am.decisions</c>, by <c>next_step</c> (proceed | resident_chooses | manager_approves).</summary>
    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>("am.decisions", "{decision}", "Decisions made, by next step.");

    /// <summary><c>am.executions</c>, by <c>outcome</c> (succeeded | failed).</summary>
    public static readonly Counter<long> Executions = Meter.CreateCounter<long>("am.executions", "{execution}", "Options carried out, by outcome.");

    /// <summary><c>am.workflow.completed</c>, by final <c>status</c> (resolved | escalated | failed).</summary>
    public static readonly Counter<long> Completed = Meter.CreateCounter<long>("am.workflow.completed", "{workflow}", "Workflow instances that ended, by final status.");

    /// <summary>The span of one run of an instance (a replay up to its next wait or its end), in the trace that started it.</summary>
    public static Activity? StartRun(string instanceId, string? traceParent)
    {
        var activity = Source.StartActivity("workflow run", ActivityKind.Internal, TraceContext.Parse(traceParent));
        activity?.SetTag("am.request.id", instanceId);
        return activity;
    }

    /// <summary>The span of one step (the work, not a replayed result).</summary>
    public static Activity? StartStep(string step, string requestId)
    {
        var activity = Source.StartActivity("step " + step, ActivityKind.Internal);
        activity?.SetTag("am.workflow.step", step);
        activity?.SetTag("am.request.id", requestId);
        return activity;
    }

    /// <summary>Runs one step inside its span and records its duration.</summary>
    public static async Task<T> RunStepAsync<T>(string step, string requestId, Func<Task<T>> run)
    {
        using var activity = StartStep(step, requestId);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            outcome = "error";
            activity.Fail(e);
            throw;
        }
        finally
        {
            StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
