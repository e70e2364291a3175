using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Application.Webhooks;

/// <summary>Another system's subscription to domain events. The secret signs its deliveries and is shown once.</summary>
/// <param name="Events">Event types (<c>request.decided</c>), prefixes (<c>request.*</c>) or <c>*</c>.</param>
public sealed record WebhookSubscription(
    string Id,
    Uri Url,
    IReadOnlyList<string> Events,
    string Secret,
    DateTimeOffset CreatedAt,
    string CreatedBy);

[JsonConverter(typeof(SnakeCaseEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    Pending,
    Succeeded,
    DeadLettered,
}

/// <summary>One event on its way to one subscription, with the outcome of its last attempt.</summary>
public sealed record WebhookDelivery(
    string Id,
    string SubscriptionId,
    string EventId,
    string EventType,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt);

/// <summary>A delivery that is due, with what the dispatcher needs to send it.</summary>
public sealed record DueDelivery(WebhookDelivery Delivery, Uri Url, string Secret, string Payload);

/// <summary>What one attempt came to. <paramref name="NextAttemptAt"/> null with a failure means dead-lettered.</summary>
public sealed record DeliveryAttempt(bool Succeeded, int? StatusCode, string? Error, DateTimeOffset At, DateTimeOffset? NextAttemptAt);
