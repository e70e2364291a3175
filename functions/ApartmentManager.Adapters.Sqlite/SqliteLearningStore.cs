using System.Text.Json;
using ApartmentManager.Learning;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;

namespace ApartmentManager.Adapters.Sqlite;

/// <summary>
/// The outcome data set and the learned parameter sets in <c>learning.db</c> (its own file: a read model and the
/// learning engine's output, rebuilt or kept independently of the requests). Parameter sets and retrained risk models
/// (ONNX bytes, keyed by the parameter set's version) are written once and never updated; the active pointer is one row.
/// </summary>
public sealed class SqliteLearningStore(SqliteDatabase database) : IOutcomeStore, IParameterSetStore
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE outcomes (request_id TEXT PRIMARY KEY, resolved_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX outcomes_resolved ON outcomes (resolved_at, request_id);
        CREATE TABLE parameter_sets (version TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE TRIGGER parameter_sets_immutable BEFORE UPDATE ON parameter_sets BEGIN SELECT RAISE(ABORT, 'parameter sets are immutable'); END;
        CREATE TABLE active_parameters (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)
        """,
        """
        CREATE TABLE risk_models (version TEXT PRIMARY KEY, onnx BLOB NOT NULL);
        CREATE TRIGGER risk_models_immutable BEFORE UPDATE ON risk_models BEGIN SELECT RAISE(ABORT, 'risk models are immutable'); END
        """,
    ];

    public Task UpsertAsync(IReadOnlyList<OutcomeRecord> outcomes, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        using var upsert = connection.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = """
            INSERT INTO outcomes (request_id, resolved_at, body) VALUES ($id, $at, $body)
            ON CONFLICT (request_id) DO UPDATE SET resolved_at = excluded.resolved_at, body = excluded.body
            """;
        var id = upsert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var at = upsert.Parameters.Add("$at", Microsoft.Data.Sqlite.SqliteType.Integer);
        var body = upsert.Parameters.Add("$body", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var outcome in outcomes)
        {
            id.Value = outcome.RequestId;
            at.Value = outcome.ResolvedAt.UtcTicks;
            body.Value = JsonSerializer.Serialize(outcome, LearningJson.Default.OutcomeRecord);
            upsert.ExecuteNonQuery();
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OutcomeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT body FROM outcomes ORDER BY resolved_at, request_id";
        var list = new List<OutcomeRecord>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            list.Add(JsonSerializer.Deserialize(reader.GetString(0), LearningJson.Default.OutcomeRecord)!);
        }
        return Task.FromResult<IReadOnlyList<OutcomeRecord>>(list);
    }

    public Task<bool> CreateAsync(ParameterSet set, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO parameter_sets (version, number, created_at, body) VALUES ($version, $number, $at, $body) ON CONFLICT DO NOTHING";
        insert.Parameters.AddWithValue("$version", set.Version);
        insert.Parameters.AddWithValue("$number", set.Number);
        insert.Parameters.AddWithValue("$at", set.CreatedAt.UtcTicks);
        insert.Parameters.AddWithValue("$body", JsonSerializer.Serialize(set, LearningJson.Default.ParameterSet));
        return Task.FromResult(insert.ExecuteNonQuery() == 1);
    }

    public Task<ParameterSet?> GetAsync(string version, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT body FROM parameter_sets WHERE version = $version";
        select.Parameters.AddWithValue("$version", version);
        return Task.FromResult(select.ExecuteScalar() is string body ? JsonSerializer.Deserialize(body, LearningJson.Default.ParameterSet) : null);
    }

    Task<IReadOnlyList<ParameterSet>> IParameterSetStore.ListAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT body FROM parameter_sets ORDER BY number DESC";
        var list = new List<ParameterSet>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            list.Add(JsonSerializer.Deserialize(reader.GetString(0), LearningJson.Default.ParameterSet)!);
        }
        return Task.FromResult<IReadOnlyList<ParameterSet>>(list);
    }

    public Task SaveRiskModelAsync(string version, byte[] onnx, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO risk_models (version, onnx) VALUES ($version, $onnx) ON CONFLICT DO NOTHING";
        insert.Parameters.AddWithValue("$version", version);
        insert.Parameters.Add("$onnx", Microsoft.Data.Sqlite.SqliteType.Blob).Value = onnx;
        insert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetRiskModelAsync(string version, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT onnx FROM risk_models WHERE version = $version";
        select.Parameters.AddWithValue("$version", version);
        return Task.FromResult(select.ExecuteScalar() as byte[]);
    }

    public Task<ActiveParameters?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT body FROM active_parameters WHERE id = 1";
        return Task.FromResult(select.ExecuteScalar() is string body ? JsonSerializer.Deserialize(body, LearningJson.Default.ActiveParameters) : null);
    }

    public Task SetActiveAsync(ActiveParameters active, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var upsert = connection.CreateCommand();
        upsert.CommandText = "INSERT INTO active_parameters (id, body) VALUES (1, $body) ON CONFLICT (id) DO UPDATE SET body = excluded.body";
        upsert.Parameters.AddWithValue("$body", JsonSerializer.Serialize(active, LearningJson.Default.ActiveParameters));
        upsert.ExecuteNonQuery();
        return Task.CompletedTask;
    }
}
