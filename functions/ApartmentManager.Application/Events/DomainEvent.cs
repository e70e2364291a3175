using ApartmentManager.Domain;

namespace ApartmentManager.Application.Events;

/// <summary>
/// Something that happened to a request, as other systems see it (webhook subscribers, the Service Bus topic
/// <c>request-events</c>). One event per entry of the request's append-only history, so the id —
/// <c>{requestId}.{sequence}</c> — is stable across redeliveries and receivers deduplicate on it.
/// </summary>
/// <param name="Sequence">The history entry's position (0 = created); orders a request's events.</param>
/// <param name="Status">The status the request moved to (status changes only).</param>
/// <param name="PreviousStatus">The status it left (status changes only).</param>
/// <param name="TraceParent">The W3C trace context recorded when the state change (and so the event) was created:
/// webhook deliveries and the Service Bus topic carry it, so a receiver's trace joins the request's.</param>
public sealed record DomainEvent(
    string Id,
    string Type,
    string RequestId,
    string ResidentId,
    int Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    RequestStatus? Status,
    RequestStatus? PreviousStatus,
    string? Detail,
    string Building,
    string Unit,
    string? TraceParent = null);

