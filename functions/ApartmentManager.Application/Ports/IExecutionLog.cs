using ApartmentManager.Domain;

namespace ApartmentManager.Application.Ports;

/// <summary>
/// The execution log: one entry per idempotency key (request id + step), shared by every instance of the app. Before an
/// action is sent, its key is claimed with a lease; only the claim's holder sends, and only the holder's completion is
/// written. A holder that dies leaves a pending entry whose lease runs out; the next claim after that takes it over (and
/// re-sends with the same idempotency key, which the external systems deduplicate). Adapters: SQLite (single node) and
/// Cosmos DB (Azure); both pass the same contract suite.
/// </summary>
public interface IExecutionLog
{
    /// <summary>
    /// Claims the key of <paramref name="request"/>: creates the pending entry with a lease (<see cref="ExecutionClaimOutcome.Acquired"/>),
    /// takes over a pending entry whose lease has expired (<see cref="ExecutionClaimOutcome.TakenOver"/>), or answers what
    /// is there: a settled entry (<see cref="ExecutionClaimOutcome.Settled"/>) or one another holder's live lease covers
    /// (<see cref="ExecutionClaimOutcome.Held"/>). Of any number of concurrent claims at most one acquires or takes over.
    /// </summary>
    Task<ExecutionClaim> ClaimAsync(ExecutionClaimRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the outcome of a claimed action; true when written. Refused (false) when the entry is no longer pending
    /// under <paramref name="lease"/>: it was settled, or another holder took it over after the lease ran out.
    /// </summary>
    Task<bool> CompleteAsync(ExecutionLease lease, ExecutionRecord outcome, CancellationToken cancellationToken = default);

    /// <summary>Marks a succeeded entry compensated, with why; false when it is not (or no longer) succeeded.</summary>
    Task<bool> MarkCompensatedAsync(string executionId, string note, CancellationToken cancellationToken = default);

    /// <summary>For <c>GET /api/v1/executions/{id}</c> on any instance; null when unknown.</summary>
    Task<ExecutionRecord?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>A request's entries, oldest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListForRequestAsync(string requestId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A claim: <paramref name="Pending"/> is the entry to create (status pending, no attempts yet), <paramref name="Payload"/>
/// the command as JSON (kept with the entry, erased with the resident's data), <paramref name="Holder"/> who claims
/// (instance and process, for diagnostics) and <paramref name="Lease"/> how long the claim shuts others out.
/// </summary>
public sealed record ExecutionClaimRequest(string RequestId, ExecutionRecord Pending, string Payload, string Holder, TimeSpan Lease);

public enum ExecutionClaimOutcome
{
    /// <summary>The entry was created under this claim: send.</summary>
    Acquired,
    /// <summary>A pending entry whose holder's lease had expired is now this claim's: send again (same idempotency key).</summary>
    TakenOver,
    /// <summary>The action is settled: its record is the answer, nothing is sent.</summary>
    Settled,
    /// <summary>Another holder's lease is live until <see cref="ExecutionClaim.HeldUntil"/>: do not send; wait and claim again.</summary>
    Held,
}

/// <summary>What a claim found. <see cref="Lease"/> is set when the claim may send (acquired or taken over).</summary>
public sealed record ExecutionClaim(ExecutionClaimOutcome Outcome, ExecutionRecord Record, ExecutionLease? Lease = null, DateTimeOffset? HeldUntil = null)
{
    public bool MaySend => Lease is not null;
}

/// <summary>A live claim: its <paramref name="Token"/> is unique per claim and fences a stale holder's completion.</summary>
public sealed record ExecutionLease(string ExecutionId, string Token, DateTimeOffset Until);
