using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Learning;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The outcome data set (partition <c>outcomes</c>, one document per request) and the learned parameter sets with the
/// active pointer and retrained risk models (partition <c>learning</c>) in the <c>platform</c> container. Parameter sets are
/// created, never replaced.
/// </summary>
public sealed class CosmosLearningStore(CosmosPlatform platform) : IOutcomeStore, IParameterSetStore
{
    public const string Outcomes = "outcomes";
    public const string Learning = "learning";
    private const string ActiveId = "active";

    public async Task UpsertAsync(IReadOnlyList<OutcomeRecord> outcomes, CancellationToken cancellationToken = default)
    {
        foreach (var outcome in outcomes)
        {
            var document = new JsonObject
            {
                ["id"] = outcome.RequestId,
                ["pk"] = Outcomes,
                ["kind"] = "outcome",
                ["resolvedAt"] = CosmosPlatform.Key(outcome.ResolvedAt),
                ["body"] = JsonSerializer.SerializeToNode(outcome, LearningJson.Default.OutcomeRecord),
            };
            await platform.UpsertAsync(document, Outcomes, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<OutcomeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var found = await platform.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = 'outcome' ORDER BY c.resolvedAt"), Outcomes, int.MaxValue, cancellationToken);
        return [.. found.Select(d => d["body"].Deserialize(LearningJson.Default.OutcomeRecord)!)
            .OrderBy(o => o.ResolvedAt).ThenBy(o => o.RequestId, StringComparer.Ordinal)];
    }

    public Task<bool> CreateAsync(ParameterSet set, CancellationToken cancellationToken = default) =>
        platform.CreateAsync(new JsonObject
        {
            ["id"] = SetId(set.Version),
            ["pk"] = Learning,
            ["kind"] = "parameter_set",
            ["number"] = set.Number,
            ["body"] = JsonSerializer.SerializeToNode(set, LearningJson.Default.ParameterSet),
        }, Learning, cancellationToken);

    public async Task<ParameterSet?> GetAsync(string version, CancellationToken cancellationToken = default) =>
        await platform.ReadAsync(SetId(version), Learning, cancellationToken) is { } d ? d["body"].Deserialize(LearningJson.Default.ParameterSet) : null;

    async Task<IReadOnlyList<ParameterSet>> IParameterSetStore.ListAsync(CancellationToken cancellationToken)
    {
        var found = await platform.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.kind = 'parameter_set'"), Learning, int.MaxValue, cancellationToken);
        return [.. found.Select(d => d["body"].Deserialize(LearningJson.Default.ParameterSet)!).OrderByDescending(s => s.Number)];
    }

    /// <summary>
    /// Base64 in documents of at most <see cref="ChunkBytes"/> raw bytes each (a Cosmos DB item holds 2 MB): the parts
    /// (named by the model's hash, so a second writer of the same version never overwrites another's), then a header
    /// created once that names them.
    /// </summary>
    public async Task SaveRiskModelAsync(string version, byte[] onnx, CancellationToken cancellationToken = default)
    {
        int parts = (onnx.Length + ChunkBytes - 1) / ChunkBytes;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx))[..16];
        for (int i = 0; i < parts; i++)
        {
            await platform.UpsertAsync(new JsonObject
            {
                ["id"] = PartId(version, hash, i),
                ["pk"] = Learning,
                ["kind"] = "risk_model_part",
                ["data"] = Convert.ToBase64String(onnx, i * ChunkBytes, Math.Min(ChunkBytes, onnx.Length - i * ChunkBytes)),
            }, Learning, cancellationToken);
        }
        // The header last: a reader never sees a model whose parts are not all written.
        await platform.CreateAsync(new JsonObject
        {
            ["id"] = ModelId(version),
            ["pk"] = Learning,
            ["kind"] = "risk_model",
            ["hash"] = hash,
            ["parts"] = parts,
            ["bytes"] = onnx.Length,
        }, Learning, cancellationToken);
    }

    public async Task<byte[]?> GetRiskModelAsync(string version, CancellationToken cancellationToken = default)
    {
        if (await platform.ReadAsync(ModelId(version), Learning, cancellationToken) is not { } header)
        {
            return null;
        }
        int parts = header["parts"]!.GetValue<int>();
        var hash = header["hash"]!.GetValue<string>();
        var bytes = new byte[header["bytes"]!.GetValue<int>()];
        for (int i = 0, at = 0; i < parts; i++)
        {
            var part = await platform.ReadAsync(PartId(version, hash, i), Learning, cancellationToken)
                ?? throw new InvalidOperationException($"Risk model of {version} is missing part {i}.");
            var data = Convert.FromBase64String(part["data"]!.GetValue<string>());
            data.CopyTo(bytes, at);
            at += data.Length;
        }
        return bytes;
    }

    public async Task<ActiveParameters?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        await platform.ReadAsync(ActiveId, Learning, cancellationToken) is { } d ? d["body"].Deserialize(LearningJson.Default.ActiveParameters) : null;

    public Task SetActiveAsync(ActiveParameters active, CancellationToken cancellationToken = default) =>
        platform.UpsertAsync(new JsonObject
        {
            ["id"] = ActiveId,
            ["pk"] = Learning,
            ["kind"] = "active_parameters",
            ["body"] = JsonSerializer.SerializeToNode(active, LearningJson.Default.ActiveParameters),
        }, Learning, cancellationToken);

    private static string SetId(string version) => "parameter_set:" + version;

    private static string ModelId(string version) => "risk_model:" + version;

    private static string PartId(string version, string hash, int part) =>
        ModelId(version) + ":" + hash + ":" + part.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private const int ChunkBytes = 1 << 20;
}
