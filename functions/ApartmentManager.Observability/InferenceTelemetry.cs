using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Observability;

/// <summary>Calls to the model server: a client span per call and its latency.</summary>
public static class InferenceTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.Inference, TelemetryNames.Version);
    private static readonly Meter Meter = new(TelemetryNames.Inference, TelemetryNames.Version);

    /// <summary><c>am.inference.client.duration</c> (s), by <c>operation</c> (classify | risk | embeddings) and <c>outcome</c>.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram("am.inference.client.duration", "s",
        "Model-server call latency seen by the client, by operation and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    public static Activity? StartCall(string operation, int items)
    {
        var activity = Source.StartActivity("inference " + operation, ActivityKind.Client);
        activity?.SetTag("am.inference.operation", operation);
        activity?.SetTag("am.inference.items", items);
        return activity;
    }

    public static void Record(string operation, TimeSpan elapsed, bool ok) => Duration.Record(elapsed.TotalSeconds,
        new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "error"));
}
