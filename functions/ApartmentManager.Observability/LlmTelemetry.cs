using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Observability;

/// <summary>LLM calls: a client span per attempt (OpenTelemetry gen_ai conventions), tokens, latency, cache hits.</summary>
public static class LlmTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.Llm, TelemetryNames.Version);
    private static readonly Meter Meter = new(TelemetryNames.Llm, TelemetryNames.Version);

    /// <summary><c>am.llm.tokens</c>, by <c>model</c>, <c>task</c> and <c>type</c> (input | output).</summary>
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("am.llm.tokens", "{token}", "LLM tokens spent, by model, task and type.");

    /// <summary><c>am.llm.duration</c> (s), by <c>model</c>, <c>task</c> and <c>outcome</c> (ok | error | timeout).</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram("am.llm.duration", "s", "LLM call latency, by model, task and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });

    /// <summary><c>am.llm.cache</c>, by <c>task</c> and <c>result</c> (hit | miss).</summary>
    public static readonly Counter<long> Cache = Meter.CreateCounter<long>("am.llm.cache", "{lookup}", "LLM response cache lookups, by task and result.");

    public static Activity? StartCall(string task, string model, string promptId, string promptVersion)
    {
        var activity = Source.StartActivity("chat " + model, ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", model);
        activity?.SetTag("am.llm.task", task);
        activity?.SetTag("am.prompt.id", promptId);
        activity?.SetTag("am.prompt.version", promptVersion);
        return activity;
    }

    public static void RecordTokens(string task, string model, long input, long output)
    {
        var m = new KeyValuePair<string, object?>("model", model);
        var t = new KeyValuePair<string, object?>("task", task);
        Tokens.Add(input, m, t, new KeyValuePair<string, object?>("type", "input"));
        Tokens.Add(output, m, t, new KeyValuePair<string, object?>("type", "output"));
    }
}
