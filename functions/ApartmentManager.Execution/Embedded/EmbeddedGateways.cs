using ApartmentManager.Adapters.Sqlite;
using System.Globalization;
using System.Text.Json;
using ApartmentManager.Execution.Gateways;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Execution.Embedded;

/// <summary>
/// Single-node stand-ins for the external systems: each records its side effect as a row keyed by the idempotency
/// key (INSERT … ON CONFLICT DO NOTHING, then read back), so a repeat returns the first row's reference.
/// </summary>
public sealed class EmbeddedWorkOrderGateway(ExecutionDatabase database, TimeProvider time) : IWorkOrderGateway
{
    public async Task<GatewayReceipt> CreateAsync(WorkOrderCommand command, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string reference = References.For("WO", idempotencyKey);
        await SqliteCommands.ExecuteAsync(connection, """
            INSERT INTO work_orders (reference, idempotency_key, request_id, payload, status, created_at)
            VALUES ($reference, $key, $request, $payload, 'open', $now)
            ON CONFLICT(idempotency_key) DO NOTHING;
            """, cancellationToken,
            ("$reference", reference), ("$key", idempotencyKey), ("$request", command.RequestId),
            ("$payload", JsonSerializer.Serialize(command, ExecutionJson.Options)), ("$now", Sql.Time(time)));
        string stored = await SqliteCommands.ScalarAsync(connection, "SELECT reference FROM work_orders WHERE idempotency_key = $key;", cancellationToken, ("$key", idempotencyKey))
            ?? throw new InvalidOperationException("The work order row vanished after it was written.");
        return new GatewayReceipt(stored, 1);
    }

    public async Task<GatewayReceipt> CancelAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Cancelling twice is a no-op: only an open order changes.
        int changed = await SqliteCommands.ExecuteAsync(connection, """
            UPDATE work_orders SET status = 'cancelled', cancelled_at = $now, cancel_reason = $reason
            WHERE reference = $reference AND status = 'open';
            """, cancellationToken, ("$now", Sql.Time(time)), ("$reason", reason), ("$reference", externalReference));
        if (changed == 0 && await SqliteCommands.ScalarAsync(connection, "SELECT status FROM work_orders WHERE reference = $reference;", cancellationToken, ("$reference", externalReference)) is null)
        {
            throw new GatewayException($"Work order '{externalReference}' does not exist.", 1);
        }
        return new GatewayReceipt(externalReference, 1);
    }
}

public sealed class EmbeddedNotificationGateway(ExecutionDatabase database, TimeProvider time) : INotificationGateway
{
    public async Task<GatewayReceipt> SendAsync(NotificationCommand command, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteCommands.ExecuteAsync(connection, """
            INSERT INTO notifications (reference, idempotency_key, request_id, channel, payload, created_at)
            VALUES ($reference, $key, $request, $channel, $payload, $now)
            ON CONFLICT(idempotency_key) DO NOTHING;
            """, cancellationToken,
            ("$reference", References.For("NT", idempotencyKey)), ("$key", idempotencyKey), ("$request", command.RequestId),
            ("$channel", command.Channel), ("$payload", JsonSerializer.Serialize(command, ExecutionJson.Options)), ("$now", Sql.Time(time)));
        string stored = await SqliteCommands.ScalarAsync(connection, "SELECT reference FROM notifications WHERE idempotency_key = $key;", cancellationToken, ("$key", idempotencyKey))
            ?? throw new InvalidOperationException("The notification row vanished after it was written.");
        return new GatewayReceipt(stored, 1);
    }
}

public sealed class EmbeddedBillingLedgerGateway(ExecutionDatabase database, TimeProvider time) : IBillingLedgerGateway
{
    public async Task<GatewayReceipt> PostAsync(LedgerEntryCommand command, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteCommands.ExecuteAsync(connection, """
            INSERT INTO ledger_entries (reference, idempotency_key, request_id, resident_id, entry_type, amount, currency, memo, created_at)
            VALUES ($reference, $key, $request, $resident, $type, $amount, $currency, $memo, $now)
            ON CONFLICT(idempotency_key) DO NOTHING;
            """, cancellationToken,
            ("$reference", References.For("LE", idempotencyKey)), ("$key", idempotencyKey), ("$request", command.RequestId),
            ("$resident", command.ResidentId), ("$type", command.EntryType), ("$amount", command.Amount.ToString(CultureInfo.InvariantCulture)),
            ("$currency", command.Currency), ("$memo", command.Memo), ("$now", Sql.Time(time)));
        string stored = await SqliteCommands.ScalarAsync(connection, "SELECT reference FROM ledger_entries WHERE idempotency_key = $key;", cancellationToken, ("$key", idempotencyKey))
            ?? throw new InvalidOperationException("The ledger row vanished after it was written.");
        return new GatewayReceipt(stored, 1);
    }

    public async Task<GatewayReceipt> ReverseAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The reversing entry mirrors the original with the opposite type.
        int inserted = await SqliteCommands.ExecuteAsync(connection, """
            INSERT INTO ledger_entries (reference, idempotency_key, request_id, resident_id, entry_type, amount, currency, memo, reverses, created_at)
            SELECT $reference, $key, request_id, resident_id,
                   CASE entry_type WHEN 'credit' THEN 'charge' ELSE 'credit' END, amount, currency, $memo, reference, $now
            FROM ledger_entries WHERE reference = $original
            ON CONFLICT(idempotency_key) DO NOTHING;
            """, cancellationToken,
            ("$reference", References.For("LE", idempotencyKey)), ("$key", idempotencyKey), ("$memo", "reversal: " + reason),
            ("$original", externalReference), ("$now", Sql.Time(time)));
        string? stored = await SqliteCommands.ScalarAsync(connection, "SELECT reference FROM ledger_entries WHERE idempotency_key = $key;", cancellationToken, ("$key", idempotencyKey));
        return stored is null
            ? throw new GatewayException($"Ledger entry '{externalReference}' does not exist.", 1)
            : new GatewayReceipt(stored, 1);
    }
}

internal static class Sql
{
    public static string Time(TimeProvider time) => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
