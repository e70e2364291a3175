using ApartmentManager.Application.Ports;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>The shared contract suite, unchanged, against the Cosmos DB adapter on the local Cosmos-protocol server.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosRequestStoreTests(CosmosServerFixture server) : RequestStoreContract
{
    private readonly IRequestStore _store = server.CreateStore();

    protected override IRequestStore Store => _store;
}
