using System.Diagnostics;

namespace ApartmentManager.Domain;

/// <summary>
/// The W3C trace context (<c>traceparent</c>) of the work in progress, recorded on each history entry when it is
/// appended. The entry's domain event carries it, so whoever receives the event later (a webhook subscriber, the
/// Service Bus topic) can join the trace of the request that caused it. Null when nothing is being traced.
/// </summary>
public static class TraceContext
{
    public static string? Current => Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;
}
