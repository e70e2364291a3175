using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Observability;

/// <summary>Actions through the gateways (work orders, notifications, ledger): a span per action and outcomes.</summary>
public static class GatewayTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.Gateways, TelemetryNames.Version);
    private static readonly Meter Meter = new(TelemetryNames.Gateways, TelemetryNames.Version);

    /// <summary><c>am.gateway.actions</c>, by <c>action</c>, <c>gateway</c> and <c>status</c>.</summary>
    public static readonly Counter<long> Actions = Meter.CreateCounter<long>("am.gateway.actions", "{action}", "Gateway actions carried out, by action, gateway and final status.");

    public static Activity? StartAction(string action, string requestId, string idempotencyKey)
    {
        var activity = Source.StartActivity("gateway " + action, ActivityKind.Client);
        activity?.SetTag("am.gateway.action", action);
        activity?.SetTag("am.request.id", requestId);
        activity?.SetTag("am.idempotency_key", idempotencyKey);
        return activity;
    }

    /// <summary>
    /// A span per webhook delivery attempt to a subscriber, a child of the trace recorded with the event
    /// (<paramref name="traceParent"/>, W3C) so the subscriber's trace joins the request's; a new trace when there is none.
    /// </summary>
    public static Activity? StartDelivery(string eventType, string eventId, string deliveryId, string? traceParent)
    {
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
        var activity = Source.StartActivity("webhook " + eventType, ActivityKind.Producer, parent);
        activity?.SetTag("am.webhook.event_id", eventId);
        activity?.SetTag("am.webhook.delivery_id", deliveryId);
        return activity;
    }
}
