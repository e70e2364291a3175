using ApartmentManager.Adapters.Sqlite;
using System.Text.Json;
using ApartmentManager.Application.Privacy;

namespace ApartmentManager.Execution.Embedded;

/// <summary>
/// Erasure in <c>executions.db</c>: the payloads of the resident's actions (work-order summaries, notification texts,
/// ledger commands) are replaced, and ledger entries keep their amounts under the pseudonym with the memo erased.
/// One transaction; running it again changes nothing more than the first time did.
/// </summary>
public sealed class ExecutionDataEraser(ExecutionDatabase database) : IPersonalDataHolder
{
    private const string ErasedPayload = "{\"erased\":true}";

    public string Name => "executions";

    public async Task<int> EraseAsync(ErasureScope scope, CancellationToken cancellationToken = default)
    {
        var ids = JsonSerializer.Serialize(scope.RequestIds.ToArray(), ExecutionEraserJsonContext.Default.StringArray);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = 0;
        foreach (var table in new[] { "executions", "work_orders", "notifications" })
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"UPDATE {table} SET payload = $erased WHERE payload <> $erased AND request_id IN (SELECT value FROM json_each($ids))";
            command.Parameters.AddWithValue("$erased", ErasedPayload);
            command.Parameters.AddWithValue("$ids", ids);
            changed += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var ledger = connection.CreateCommand())
        {
            ledger.Transaction = tx;
            ledger.CommandText = """
                UPDATE ledger_entries SET resident_id = $pseudonym, memo = $memo
                WHERE resident_id = $resident OR (request_id IN (SELECT value FROM json_each($ids)) AND memo <> $memo)
                """;
            ledger.Parameters.AddWithValue("$pseudonym", scope.Pseudonym);
            ledger.Parameters.AddWithValue("$memo", PersonalData.Erased);
            ledger.Parameters.AddWithValue("$resident", scope.ResidentId);
            ledger.Parameters.AddWithValue("$ids", ids);
            changed += await ledger.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ExecutionEraserJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
