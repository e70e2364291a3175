using System.Globalization;
using ApartmentManager.Domain;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Execution.Embedded;

/// <summary>The execution log in <c>executions.db</c>: one row per idempotency key.</summary>
public sealed class ExecutionStore(ExecutionDatabase database)
{
    private const string Columns = "id, idempotency_key, action, gateway, status, attempts, started_at, completed_at, external_reference, error";

    public async Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM executions WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
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
            records.Add(Read(reader));
        }
        return records;
    }

    /// <summary>Claims the key. False when a row exists already (someone else claimed it first).</summary>
    public async Task<bool> TryInsertPendingAsync(string requestId, ExecutionRecord record, string payload, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int inserted = await Sql.ExecuteAsync(connection, """
            INSERT INTO executions (id, idempotency_key, request_id, action, gateway, status, attempts, started_at, payload)
            VALUES ($id, $key, $request, $action, $gateway, 'pending', 0, $started, $payload)
            ON CONFLICT DO NOTHING;
            """, cancellationToken,
            ("$id", record.Id), ("$key", record.IdempotencyKey), ("$request", requestId), ("$action", record.Action),
            ("$gateway", record.Gateway), ("$started", record.StartedAt.ToString("O", CultureInfo.InvariantCulture)), ("$payload", payload));
        return inserted == 1;
    }

    /// <summary>Writes the outcome. Only a record in <paramref name="expected"/> status changes, so a late writer cannot overwrite a settled one.</summary>
    public async Task<bool> CompleteAsync(ExecutionRecord record, ExecutionStatus expected, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int changed = await Sql.ExecuteAsync(connection, """
            UPDATE executions SET status = $status, attempts = $attempts, completed_at = $completed, external_reference = $reference, error = $error
            WHERE id = $id AND status = $expected;
            """, cancellationToken,
            ("$status", Name(record.Status)), ("$attempts", record.Attempts),
            ("$completed", record.CompletedAt?.ToString("O", CultureInfo.InvariantCulture)), ("$reference", record.ExternalReference),
            ("$error", record.Error), ("$id", record.Id), ("$expected", Name(expected)));
        return changed == 1;
    }

    private static ExecutionRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Parse(r.GetString(4)), r.GetInt32(5),
        DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        r.IsDBNull(7) ? null : DateTimeOffset.Parse(r.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9));

    internal static string Name(ExecutionStatus status) => status.ToString().ToLowerInvariant();

    private static ExecutionStatus Parse(string value) => Enum.Parse<ExecutionStatus>(value, ignoreCase: true);
}
