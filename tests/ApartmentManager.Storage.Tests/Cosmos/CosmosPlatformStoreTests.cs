using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>The platform contract against the Cosmos DB adapters on the local Cosmos-protocol server.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosPlatformStoreTests : PlatformStoreContract
{
    public CosmosPlatformStoreTests(CosmosServerFixture server)
    {
        var platform = new CosmosPlatform(server.Client, Microsoft.Extensions.Options.Options.Create(server.Options));
        var events = new CosmosEventLog(platform);
        Requests = server.CreateStore();
        Events = events;
        Webhooks = new CosmosWebhookStore(platform, events);
        Audit = new CosmosAuditLog(platform);
        Eraser = new CosmosResidentEraser(platform);
    }

    protected override IRequestStore Requests { get; }
    protected override IWebhookStore Webhooks { get; }
    protected override IEventLog Events { get; }
    protected override IAuditLog Audit { get; }
    protected override IPersonalDataHolder Eraser { get; }
}
