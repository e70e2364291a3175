using ApartmentManager.Domain;

namespace ApartmentManager.Application.Ports;

/// <summary>A stored request and the ETag of the stored version (for optimistic concurrency).</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>Filters for listing requests. Every filter is optional; null means "any".</summary>
public sealed record RequestQuery
{
    public string? ResidentId { get; init; }
    public RequestStatus? Status { get; init; }
    public Category? Category { get; init; }
    public Urgency? Urgency { get; init; }
    public string? Building { get; init; }
    public string? Unit { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }

    // Outcome filters (see RequestOutcome): what happened to the request after it was filed.

    /// <summary>Was (true) or was never (false) handed to a manager.</summary>
    public bool? Escalated { get; init; }

    /// <summary>Reopened at least once (true) or never (false).</summary>
    public bool? Reopened { get; init; }

    /// <summary>The resident's rating is at least / at most this (1–5); requests without a rating do not match.</summary>
    public int? MinRating { get; init; }

    public int? MaxRating { get; init; }

    /// <summary>Resolved at or after / at or before this time; requests not resolved do not match.</summary>
    public DateTimeOffset? ResolvedFrom { get; init; }

    public DateTimeOffset? ResolvedTo { get; init; }

    /// <summary>Resolved because the confirmation window passed without the resident's answer (true), or not (false).</summary>
    public bool? Unconfirmed { get; init; }

    /// <summary>Only requests whose selected option has this id (the goodwill history reads its residents' credits this way).</summary>
    public string? SelectedOptionId { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Opaque token from the previous page; null for the first page.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>One page of a listing. Items are newest first (created time, then id, both descending).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// Where requests live. Implemented by the embedded SQLite adapter and the Cosmos DB adapter; one contract test
/// suite runs against both.
/// </summary>
public interface IRequestStore
{
    /// <summary>
    /// Stores a new request. If a request with the same id exists already, nothing is written and
    /// <see cref="DuplicateRequestException"/> carries the stored one (ids derived from an idempotency key collide
    /// on purpose).
    /// </summary>
    Task<Versioned<ResidentRequest>> CreateAsync(ResidentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a request by id. When <paramref name="residentId"/> is known it is used as the partition.</summary>
    Task<Versioned<ResidentRequest>?> GetAsync(string id, string? residentId = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces a request if its stored ETag still equals <paramref name="ifMatch"/>; otherwise throws <see cref="ConcurrencyConflictException"/>.</summary>
    Task<Versioned<ResidentRequest>> ReplaceAsync(ResidentRequest request, string ifMatch, CancellationToken cancellationToken = default);

    Task<Page<ResidentRequest>> QueryAsync(RequestQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts requests for a unit created at or after <paramref name="since"/>, optionally of one (classified) category
    /// (risk features: recent incidents, repeat complaints).
    /// </summary>
    Task<int> CountForUnitAsync(string building, string unit, DateTimeOffset since, Category? category = null, CancellationToken cancellationToken = default);

    /// <summary>True when the store answers (readiness probe).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}

/// <summary>The stored ETag no longer matches: someone else changed the request first.</summary>
public sealed class ConcurrencyConflictException(string id)
    : Exception($"Request '{id}' was changed by someone else; read it again and retry.")
{
    public string RequestId { get; } = id;
}

/// <summary>A request with this id exists already.</summary>
public sealed class DuplicateRequestException(Versioned<ResidentRequest> existing)
    : Exception($"Request '{existing.Value.Id}' exists already.")
{
    public Versioned<ResidentRequest> Existing { get; } = existing;
}

/// <summary>The continuation token is not one this store issued (tampered, truncated or from another query).</summary>
public sealed class InvalidContinuationTokenException(string reason) : Exception($"The continuation token is not valid: {reason}");
