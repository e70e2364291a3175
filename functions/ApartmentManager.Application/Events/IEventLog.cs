namespace ApartmentManager.Application.Events;

/// <summary>
/// The recorded events. Single node: the <c>events</c> table the SQLite store writes in the same transaction as the
/// request (the outbox and the embedded topic in one); Azure: the event documents the Cosmos DB adapter records from
/// the requests' change feed (the history written with each state change is the outbox there).
/// </summary>
public interface IEventLog
{
    /// <summary>Every event about one resident's requests (privacy export).</summary>
    Task<IReadOnlyList<DomainEvent>> ForResidentAsync(string residentId, CancellationToken cancellationToken = default);
}
