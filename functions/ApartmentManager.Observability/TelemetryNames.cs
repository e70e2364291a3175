using System.Diagnostics;

namespace ApartmentManager.Observability;

/// <summary>
/// The name of every ActivitySource and Meter this system emits, one per concern. Hosts subscribe to
/// <see cref="All"/>; nothing else needs to know the names.
/// </summary>
public static class TelemetryNames
{
    public const string ServiceName = "apartment-manager";
    public const string Workflow = "ApartmentManager.Workflow";
    public const string Queue = "ApartmentManager.Queue";
    public const string Inference = "ApartmentManager.Inference";
    public const string Llm = "ApartmentManager.Llm";
    public const string Gateways = "ApartmentManager.Gateways";

    public static readonly IReadOnlyList<string> All = [Workflow, Queue, Inference, Llm, Gateways];

    internal static readonly string Version = typeof(TelemetryNames).Assembly.GetName().Version?.ToString() ?? "1.0.0";
}

/// <summary>W3C trace context as carried on queue messages, workflow instances and outbound calls.</summary>
public static class TraceContext
{
    /// <summary>The <c>traceparent</c> of the current span (null when nothing is being traced).</summary>
    public static string? Current() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;

    /// <summary>Parses a stored <c>traceparent</c>; default (no parent) when absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out var context)
            ? context
            : default;

    /// <summary>Marks a span as failed with the exception's type and message (OpenTelemetry's conventions).</summary>
    public static void Fail(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
    }
}
