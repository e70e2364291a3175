using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Creates the database and the <c>requests</c> container at host start when <see cref="CosmosDbOptions.CreateIfNotExists"/>
/// is on; the host does not start serving until they exist. Does nothing otherwise (Azure: Bicep owns them).
/// </summary>
public sealed class CosmosStoreInitializer(CosmosClient client, IOptions<CosmosDbOptions> options, ILogger<CosmosStoreInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.CreateIfNotExists ? EnsureCreatedAsync(client, options.Value, logger, cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates what is missing and leaves what exists untouched (an existing container keeps its settings).</summary>
    public static async Task EnsureCreatedAsync(CosmosClient client, CosmosDbOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database, cancellationToken: cancellationToken);
        await database.CreateContainerIfNotExistsAsync(RequestsContainerDefinition.Create(options.RequestsContainer), cancellationToken: cancellationToken);
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(options.PlatformContainer, CosmosPlatform.PartitionKeyPath), cancellationToken: cancellationToken);
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(options.ResidentsContainer, "/id"), cancellationToken: cancellationToken);
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(options.ExecutionsContainer, CosmosExecutionLog.PartitionKeyPath), cancellationToken: cancellationToken);
        CosmosLog.Ensured(logger, options.Database, options.RequestsContainer);
    }
}
