using System.Globalization;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// The execution log in <c>executions.db</c> (single node; several processes on one machine share the file). A claim is
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (the primary key lets one writer in); a takeover is an <c>UPDATE</c> guarded by
/// the previous lease token, so of two processes taking over one expired lease only one changes the row; a completion
/// is an <c>UPDATE</c> guarded by the holder's token, so a stale holder's outcome is refused.
/// </summary>
public sealed class SqliteExecutionLog(ExecutionDatabase database, TimeProvider time) : IExecutionLog
{
    private const string Columns = "id, idempotency_key, action, gateway, status, attempts, started_at, completed_at, external_reference, error, lease_token, lease_until";
    private const int MaxRaces = 10;

    public async Task<ExecutionClaim> ClaimAsync(ExecutionClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = request.Pending;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var token = NewToken();
        var until = time.GetUtcNow() + request.Lease;
        int inserted = await SqliteCommands.ExecuteAsync(connection, """
            INSERT INTO executions (id, idempotency_key, request_id, action, gateway, status, attempts, started_at, payload, lease_holder, lease_token, lease_until)
            VALUES ($id, $key, $request, $action, $gateway, 'pending', 0, $started, $payload, $holder, $token, $until)
            ON CONFLICT DO NOTHING;
            """, cancellationToken,
            ("$id", pending.Id), ("$key", pending.IdempotencyKey), ("$request", request.RequestId), ("$action", pending.Action),
            ("$gateway", pending.Gateway), ("$started", Text(pending.StartedAt)), ("$payload", request.Payload),
            ("$holder", request.Holder), ("$token", token), ("$until", Text(until)));
        if (inserted == 1)
        {
            return new ExecutionClaim(ExecutionClaimOutcome.Acquired, pending with { Status = ExecutionStatus.Pending, Attempts = 0 },
                new ExecutionLease(pending.Id, token, until));
        }

        for (int race = 0; race < MaxRaces; race++)
        {
            var existing = await ReadAsync(connection, pending.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Execution {pending.Id} conflicted on insert but cannot be read.");
            if (existing.Record.Status != ExecutionStatus.Pending)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.Settled, existing.Record);
            }
            var now = time.GetUtcNow();
            if (existing.LeaseUntil is { } heldUntil && heldUntil > now)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.Held, existing.Record, HeldUntil: heldUntil);
            }
            // Expired (or a row from before leases existed): take it over, only if nobody else did since we read it.
            until = now + request.Lease;
            int changed = await SqliteCommands.ExecuteAsync(connection, """
                UPDATE executions SET lease_holder = $holder, lease_token = $token, lease_until = $until
                WHERE id = $id AND status = 'pending' AND lease_token IS $previous;
                """, cancellationToken,
                ("$holder", request.Holder), ("$token", token), ("$until", Text(until)), ("$id", pending.Id), ("$previous", existing.LeaseToken));
            if (changed == 1)
            {
                return new ExecutionClaim(ExecutionClaimOutcome.TakenOver, existing.Record, new ExecutionLease(pending.Id, token, until));
            }
        }
        throw new InvalidOperationException($"Execution {pending.Id} kept changing while it was being claimed.");
    }

    public async Task<bool> CompleteAsync(ExecutionLease lease, ExecutionRecord outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int changed = await SqliteCommands.ExecuteAsync(connection, """
            UPDATE executions SET status = $status, attempts = $attempts, completed_at = $completed, external_reference = $reference, error = $error,
                lease_until = NULL
            WHERE id = $id AND status = 'pending' AND lease_token = $token;
            """, cancellationToken,
            ("$status", Names.Of(outcome.Status)), ("$attempts", outcome.Attempts), ("$completed", outcome.CompletedAt is { } c ? Text(c) : null),
            ("$reference", outcome.ExternalReference), ("$error", outcome.Error), ("$id", lease.ExecutionId), ("$token", lease.Token));
        return changed == 1;
    }

    public async Task<bool> MarkCompensatedAsync(string executionId, string note, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int changed = await SqliteCommands.ExecuteAsync(connection, """
            UPDATE executions SET status = 'compensated', error = $note WHERE id = $id AND status = 'succeeded';
            """, cancellationToken, ("$note", note), ("$id", executionId));
        return changed == 1;
    }

    public async Task<ExecutionRecord?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(connection, executionId, cancellationToken).ConfigureAwait(false))?.Record;
    }

    public async Task<IReadOnlyList<ExecutionRecord>> ListForRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM executions WHERE request_id = $request ORDER BY started_at, rowid;";
        command.Parameters.AddWithValue("$request", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<ExecutionRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(reader).Record);
        }
        return records;
    }

    /// <summary>Unique per claim: a completion must present the token its claim got.</summary>
    internal static string NewToken() => Guid.NewGuid().ToString("N");

    private static async Task<Row?> ReadAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM executions WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static Row Read(SqliteDataReader r) => new(
        new ExecutionRecord(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Parse(r.GetString(4)), r.GetInt32(5),
            Time(r.GetString(6)),
            r.IsDBNull(7) ? null : Time(r.GetString(7)),
            r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : r.GetString(9)),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : Time(r.GetString(11)));

    private static ExecutionStatus Parse(string value) =>
        Names.TryParse<ExecutionStatus>(value, out var status) ? status : Enum.Parse<ExecutionStatus>(value, ignoreCase: true);

    private static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed record Row(ExecutionRecord Record, string? LeaseToken, DateTimeOffset? LeaseUntil);
}
