using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>The learning store contract against the Cosmos DB adapter on the local Cosmos-protocol server.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosLearningStoreTests : LearningStoreContract
{
    public CosmosLearningStoreTests(CosmosServerFixture server)
    {
        var store = new CosmosLearningStore(new CosmosPlatform(server.Client, Microsoft.Extensions.Options.Options.Create(server.Options)));
        Outcomes = store;
        Sets = store;
    }

    protected override IOutcomeStore Outcomes { get; }
    protected override IParameterSetStore Sets { get; }
}
