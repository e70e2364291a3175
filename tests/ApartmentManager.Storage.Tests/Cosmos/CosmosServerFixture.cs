using System.Text.RegularExpressions;
using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Tests.Shared;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>
/// One in-memory Cosmos-protocol server (tests/local-servers: @vercel/cosmosdb-server behind cosmos-launch.js) for
/// every test in the collection, on a free loopback port (started and its port read by <see cref="LocalServers"/>), with the database and container created by the adapter's
/// own create-if-not-exists. Tests keep apart by unique ids, residents and buildings, not by separate servers.
/// </summary>
public sealed class CosmosServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private ChildProcess? _server;

    public CosmosDbOptions Options { get; private set; } = null!;
    public CosmosClient Client { get; private set; } = null!;
    public Container Requests => Client.GetContainer(Options.Database, Options.RequestsContainer);

    public async Task InitializeAsync()
    {
        var (server, ports) = await LocalServers.StartAsync(["cosmos-launch.js", "0", "--no-ssl"],
            [new Regex(@"Ready to accept HTTPS? connections at 127\.0\.0\.1:(\d+)")], StartTimeout);
        _server = server;

        // Otherwise the SDK asks the cloud metadata address (169.254.169.254) about the VM at start-up and waits.
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        Options = Configure(new CosmosDbOptions { AccountEndpoint = Endpoint(ports[0]), Database = "apartment-manager-tests" });
        Client = CosmosClientFactory.Create(Options);
        await CosmosStoreInitializer.EnsureCreatedAsync(Client, Options, NullLogger.Instance);
    }

    public string Endpoint(int port) => $"http://127.0.0.1:{port}/";

    /// <summary>What the local server needs: Gateway mode, the endpoint as given, any base64 key (it checks none).</summary>
    public static CosmosDbOptions Configure(CosmosDbOptions options)
    {
        options.Key = Convert.ToBase64String("apartment-manager-local-test-server"u8);
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        options.CreateIfNotExists = true;
        return options;
    }

    public CosmosRequestStore CreateStore(ILogger<CosmosRequestStore>? logger = null) =>
        new(Client, Microsoft.Extensions.Options.Options.Create(Options), logger ?? NullLogger<CosmosRequestStore>.Instance);

    public Task DisposeAsync()
    {
        Client?.Dispose();
        Interlocked.Exchange(ref _server, null)?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosServerCollection : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "Cosmos test server";
}
