using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Domain;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>
/// The execution log contract against Cosmos DB on the local Cosmos-protocol server: each instance has its own
/// <see cref="CosmosClient"/>, as a second Functions instance would.
/// </summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosExecutionLogTests(CosmosServerFixture server) : ExecutionLogContract, IDisposable
{
    private readonly List<CosmosClient> _clients = [];

    protected override IExecutionLog NewInstance() => Create();

    private CosmosExecutionLog Create()
    {
        var client = CosmosClientFactory.Create(server.Options);
        lock (_clients)
        {
            _clients.Add(client);
        }
        return new CosmosExecutionLog(client, Microsoft.Extensions.Options.Options.Create(server.Options), Clock);
    }

    [Fact]
    public async Task The_container_is_partitioned_by_execution_id()
    {
        var container = await server.Client.GetContainer(server.Options.Database, server.Options.ExecutionsContainer).ReadContainerAsync();
        Assert.Equal(CosmosExecutionLog.PartitionKeyPath, container.Resource.PartitionKeyPath);
        Assert.Equal("/id", CosmosExecutionLog.PartitionKeyPath);
    }

    [Fact]
    public async Task Erasure_replaces_the_action_payloads_of_the_residents_requests()
    {
        var log = Create();
        var request = "req_" + Guid.NewGuid().ToString("N");
        var other = "req_" + Guid.NewGuid().ToString("N");
        async Task<string> ClaimAsync(string requestId)
        {
            var key = requestId + ":notify";
            var id = "exe-" + Guid.NewGuid().ToString("N");
            await log.ClaimAsync(new ExecutionClaimRequest(requestId,
                new ExecutionRecord(id, key, "send_notification", "notifications", ExecutionStatus.Pending, 0, Clock.GetUtcNow(), null, null, null),
                "{\"message\":\"Ana, the plumber comes at 9\"}", "instance-a", TimeSpan.FromMinutes(1)));
            return id;
        }
        var mine = await ClaimAsync(request);
        var theirs = await ClaimAsync(other);
        var scope = new ErasureScope("res-ana", "anon-1", [request]);

        Assert.Equal(1, await log.EraseAsync(scope));
        Assert.Equal(0, await log.EraseAsync(scope));

        Assert.DoesNotContain("Ana", await log.PayloadAsync(mine), StringComparison.Ordinal);
        Assert.Contains("Ana", await log.PayloadAsync(theirs), StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Pending, (await log.GetAsync(mine))!.Status);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
