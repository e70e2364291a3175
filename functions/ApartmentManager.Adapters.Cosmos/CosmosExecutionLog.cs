using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Domain;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The execution log in the <c>executions</c> container (partition key <c>/id</c>: every operation is a point
/// operation on one entry, and <c>GET /executions/{id}</c> is a point read on any instance). A claim is a create, which
/// Cosmos DB lets exactly one writer make (the others get 409 Conflict); taking over an expired lease and completing are
/// replaces conditional on the ETag read (412 Precondition Failed for whoever lost the race), and a completion must
/// also present the lease token of its claim, so a holder that was taken over cannot write its outcome.
/// Lease times come from the instance's <see cref="TimeProvider"/>: keep the lease far longer than clock skew.
/// Also erases the action payloads of an erased resident's requests (<see cref="IPersonalDataHolder"/>).
/// </summary>
public sealed class CosmosExecutionLog(CosmosClient client, IOptions<CosmosDbOptions> options, TimeProvider time) : IExecutionLog, IPersonalDataHolder
{
    /// <summary>Each entry is its own logical partition.</summary>
    public const string PartitionKeyPath = "/id";

    private const string ErasedPayload = "{\"erased\":true}";
    private const int MaxRaces = 10;

    public Container Container { get; } = client.GetContainer(options.Value.Database, options.Value.ExecutionsContainer);

    public string Name => "executions";

    public async Task<ExecutionClaim> ClaimAsync(ExecutionClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = request.Pending with { Status = ExecutionStatus.Pending, Attempts = 0, CompletedAt = null, ExternalReference = null, Error = null };
        var token = NewToken();
        var until = time.GetUtcNow() + request.Lease;
        var document = Document(pending, request.RequestId, request.Payload);
        SetLease(document, request.Holder, token, until);
        using (var body = CosmosPlatform.Stream(document))
        using (var created = await Container.CreateItemStreamAsync(body, new PartitionKey(pending.Id), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (created.IsSuccessStatusCode)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.Acquired, pending, new ExecutionLease(pending.Id, token, until));
            }
            if (created.StatusCode != HttpStatusCode.Conflict)
            {
                created.EnsureSuccessStatusCode();
            }
        }

        for (int race = 0; race < MaxRaces; race++)
        {
            var existing = await ReadAsync(pending.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Execution {pending.Id} conflicted on create but cannot be read.");
            var record = Read(existing);
            if (record.Status != ExecutionStatus.Pending)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.Settled, record);
            }
            var now = time.GetUtcNow();
            if (LeaseUntil(existing) is { } heldUntil && heldUntil > now)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.Held, record, HeldUntil: heldUntil);
            }
            until = now + request.Lease;
            var etag = existing["_etag"]!.GetValue<string>();
            var takeover = CosmosPlatform.WithoutSystemProperties(existing);
            SetLease(takeover, request.Holder, token, until);
            if (await ReplaceAsync(takeover, etag, cancellationToken).ConfigureAwait(false))
            {
                return new ExecutionClaim(ExecutionClaimOutcome.TakenOver, record, new ExecutionLease(pending.Id, token, until));
            }
        }
        throw new InvalidOperationException($"Execution {pending.Id} kept changing while it was being claimed.");
    }

    public async Task<bool> CompleteAsync(ExecutionLease lease, ExecutionRecord outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        for (int race = 0; race < MaxRaces; race++)
        {
            var existing = await ReadAsync(lease.ExecutionId, cancellationToken).ConfigureAwait(false);
            if (existing is null
                || existing["status"]?.GetValue<string>() != Names.Of(ExecutionStatus.Pending)
                || existing["leaseToken"]?.GetValue<string>() != lease.Token)
            {
                return false;
            }
            var etag = existing["_etag"]!.GetValue<string>();
            var completed = CosmosPlatform.WithoutSystemProperties(existing);
            completed["status"] = Names.Of(outcome.Status);
            completed["attempts"] = outcome.Attempts;
            completed["completedAt"] = outcome.CompletedAt is { } at ? CosmosPlatform.Key(at) : null;
            completed["externalReference"] = outcome.ExternalReference;
            completed["error"] = outcome.Error;
            completed["leaseUntil"] = null;
            if (await ReplaceAsync(completed, etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        return false;
    }

    public async Task<bool> MarkCompensatedAsync(string executionId, string note, CancellationToken cancellationToken = default)
    {
        for (int race = 0; race < MaxRaces; race++)
        {
            var existing = await ReadAsync(executionId, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing["status"]?.GetValue<string>() != Names.Of(ExecutionStatus.Succeeded))
            {
                return false;
            }
            var etag = existing["_etag"]!.GetValue<string>();
            var marked = CosmosPlatform.WithoutSystemProperties(existing);
            marked["status"] = Names.Of(ExecutionStatus.Compensated);
            marked["error"] = note;
            if (await ReplaceAsync(marked, etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        return false;
    }

    public async Task<ExecutionRecord?> GetAsync(string executionId, CancellationToken cancellationToken = default) =>
        await ReadAsync(executionId, cancellationToken).ConfigureAwait(false) is { } document ? Read(document) : null;

    public async Task<IReadOnlyList<ExecutionRecord>> ListForRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        // Cross-partition (the key is the execution id), but a request has a handful of entries and this is an admin read.
        var found = await CosmosPlatform.QueryAsync(Container,
            new QueryDefinition("SELECT * FROM c WHERE c.requestId = @request").WithParameter("@request", requestId),
            partition: null, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return [.. found.Select(d => (Record: Read(d), Seq: d["startedAt"]!.GetValue<string>()))
            .OrderBy(e => e.Seq, StringComparer.Ordinal).ThenBy(e => e.Record.Id, StringComparer.Ordinal).Select(e => e.Record)];
    }

    public async Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var changed = 0;
        foreach (var requestId in scope.RequestIds)
        {
            var found = await CosmosPlatform.QueryAsync(Container,
                new QueryDefinition("SELECT * FROM c WHERE c.requestId = @request").WithParameter("@request", requestId),
                partition: null, int.MaxValue, cancellationToken).ConfigureAwait(false);
            foreach (var document in found.Where(d => d["payload"]?.GetValue<string>() != ErasedPayload))
            {
                var etag = document["_etag"]!.GetValue<string>();
                var erased = CosmosPlatform.WithoutSystemProperties(document);
                erased["payload"] = ErasedPayload;
                // A concurrent completion wins the race; the next erasure run (they are repeatable) erases it then.
                if (await ReplaceAsync(erased, etag, cancellationToken).ConfigureAwait(false))
                {
                    changed++;
                }
            }
        }
        return changed;
    }

    /// <summary>The entry's stored payload (the command as JSON), for checks of erasure; null when unknown.</summary>
    public async Task<string?> PayloadAsync(string executionId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(executionId, cancellationToken).ConfigureAwait(false))?["payload"]?.GetValue<string>();

    private static string NewToken() => Guid.NewGuid().ToString("N");

    private static JsonObject Document(ExecutionRecord r, string requestId, string payload) => new()
    {
        ["id"] = r.Id,
        ["requestId"] = requestId,
        ["idempotencyKey"] = r.IdempotencyKey,
        ["action"] = r.Action,
        ["gateway"] = r.Gateway,
        ["status"] = Names.Of(r.Status),
        ["attempts"] = r.Attempts,
        ["startedAt"] = CosmosPlatform.Key(r.StartedAt),
        ["completedAt"] = r.CompletedAt is { } c ? CosmosPlatform.Key(c) : null,
        ["externalReference"] = r.ExternalReference,
        ["error"] = r.Error,
        ["payload"] = payload,
    };

    private static void SetLease(JsonObject document, string holder, string token, DateTimeOffset until)
    {
        document["leaseHolder"] = holder;
        document["leaseToken"] = token;
        document["leaseUntil"] = CosmosPlatform.Key(until);
    }

    private static DateTimeOffset? LeaseUntil(JsonObject d) =>
        d["leaseUntil"]?.GetValue<string>() is { } until ? CosmosPlatform.Time(until) : null;

    private static ExecutionRecord Read(JsonObject d) => new(
        d["id"]!.GetValue<string>(),
        d["idempotencyKey"]!.GetValue<string>(),
        d["action"]!.GetValue<string>(),
        d["gateway"]!.GetValue<string>(),
        Names.TryParse<ExecutionStatus>(d["status"]!.GetValue<string>(), out var status) ? status : throw new JsonException($"Unknown execution status in {d["id"]}."),
        d["attempts"]!.GetValue<int>(),
        CosmosPlatform.Time(d["startedAt"]!.GetValue<string>()),
        d["completedAt"]?.GetValue<string>() is { } completed ? CosmosPlatform.Time(completed) : null,
        d["externalReference"]?.GetValue<string>(),
        d["error"]?.GetValue<string>());

    private async Task<JsonObject?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await Container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken).ConfigureAwait(false))!.AsObject();
    }

    /// <summary>Replaces if the ETag still matches; false when another writer got there first.</summary>
    private async Task<bool> ReplaceAsync(JsonObject document, string etag, CancellationToken cancellationToken)
    {
        var id = document["id"]!.GetValue<string>();
        using var body = CosmosPlatform.Stream(document);
        using var response = await Container.ReplaceItemStreamAsync(body, id, new PartitionKey(id),
            new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }
}
