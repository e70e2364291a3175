namespace ApartmentManager.Application.Events;

/// <summary>
/// Publishes recorded domain events (the catalogue of <see cref="RequestEvents"/>) to a host's message topic. The outbox
/// dispatcher, which both hosts run, hands every new event to each registered publisher before it fans the event out
/// to webhook subscriptions and counts it as dispatched: at least once, in each request's order, with the event id as
/// the message id for the receiver (or the broker's duplicate detection) to deduplicate. Azure registers the Service
/// Bus topic <c>request-events</c>; single node registers none, because its SQLite <c>events</c> table, written in the
/// same transaction as the state change, is the embedded topic itself.
/// </summary>
public interface IDomainEventPublisher
{
    /// <summary>Where the events go (logs).</summary>
    string Name { get; }

    /// <summary>Publishes <paramref name="events"/>; throws when they could not all be published (the dispatcher retries the batch).</summary>
    Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default);
}
