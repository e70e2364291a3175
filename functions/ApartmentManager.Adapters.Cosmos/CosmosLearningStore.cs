using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Learning;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The outcome data set (partition <c>outcomes</c>, one document per request) and the learned parameter sets with the
/// active pointer (partition <c>learning</c>) in the <c>platform</c> container. Parameter sets are created, never replaced.
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
}
