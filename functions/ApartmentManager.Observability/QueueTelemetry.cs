using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Observability;

/// <summary>Queues: producer and consumer spans linked by the message's trace context, depth and dead letters.</summary>
public static class QueueTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.Queue, TelemetryNames.Version);
    private static readonly Meter Meter = new(TelemetryNames.Queue, TelemetryNames.Version);

    /// <summary><c>am.queue.messages</c>, by <c>queue</c> and <c>outcome</c> (completed | retried | dead_lettered).</summary>
    public static readonly Counter<long> Processed = Meter.CreateCounter<long>("am.queue.messages", "{message}", "Messages handled, by queue and outcome.");

    /// <summary><c>am.queue.dead_lettered</c>, by <c>queue</c>.</summary>
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("am.queue.dead_lettered", "{message}", "Messages moved to the dead-letter state.");

    public const string DepthInstrument = "am.queue.depth";

    /// <summary>
    /// <c>am.queue.depth</c>, by <c>queue</c> and <c>state</c> (ready | in_flight | dead_lettered), read from
    /// <paramref name="read"/> whenever metrics are collected. Created per host (its meter is disposed with the host).
    /// </summary>
    public static Meter CreateDepthMeter(IMeterFactory factory, Func<IEnumerable<(string Queue, int Ready, int InFlight, int DeadLettered)>> read)
    {
        var meter = factory.Create(TelemetryNames.Queue, TelemetryNames.Version);
        meter.CreateObservableGauge(DepthInstrument, () => read().SelectMany(d => new[]
        {
            Depth(d.Ready, d.Queue, "ready"),
            Depth(d.InFlight, d.Queue, "in_flight"),
            Depth(d.DeadLettered, d.Queue, "dead_lettered"),
        }), "{message}", "Messages in a queue, by state.");
        return meter;
    }

    private static Measurement<int> Depth(int value, string queue, string state) =>
        new(value, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("state", state));

    /// <summary>The producer span of an enqueue; its context travels on the message.</summary>
    public static Activity? StartSend(string queue, string messageId)
    {
        var activity = Source.StartActivity("send " + queue, ActivityKind.Producer);
        activity?.SetTag("messaging.system", "apartment-manager.embedded");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", messageId);
        return activity;
    }

    /// <summary>The consumer span of one delivery, a child of the producer's context carried on the message.</summary>
    public static Activity? StartProcess(string queue, string messageId, int attempt, string? traceParent)
    {
        var activity = Source.StartActivity("process " + queue, ActivityKind.Consumer, TraceContext.Parse(traceParent));
        activity?.SetTag("messaging.system", "apartment-manager.embedded");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag("messaging.message.delivery_count", attempt);
        return activity;
    }
}
