using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;

namespace ApartmentManager.Application.Webhooks;

/// <summary>Subscriptions and their deliveries. The embedded adapter keeps them beside the event log in SQLite.</summary>
public interface IWebhookStore
{
    Task CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default);

    Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the subscription and its deliveries that have not gone out. False when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> events after the fan-out cursor, hands them to <paramref name="publish"/> (the
    /// host's topic; an exception leaves the cursor where it was, so they are taken again), then, in one transaction,
    /// creates a delivery for every subscription whose patterns match and advances the cursor (so an event is fanned out
    /// exactly once and published at least once). Returns how many events (Cosmos DB: changed requests) were taken.
    /// </summary>
    Task<int> FanOutAsync(int max, DateTimeOffset now, Func<IReadOnlyList<DomainEvent>, CancellationToken, Task>? publish,
        CancellationToken cancellationToken = default);

    /// <summary>Pending deliveries whose next attempt is due, oldest first.</summary>
    Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task RecordAttemptAsync(string deliveryId, DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>A subscription's deliveries, newest first; <paramref name="status"/> null means all.</summary>
    Task<Page<WebhookDelivery>> DeliveriesAsync(string subscriptionId, DeliveryStatus? status, int limit, string? continuationToken,
        CancellationToken cancellationToken = default);

    /// <summary>Puts a delivery (dead-lettered or delivered) back to pending, due now, attempts reset. Null when unknown.</summary>
    Task<WebhookDelivery?> RedeliverAsync(string subscriptionId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
