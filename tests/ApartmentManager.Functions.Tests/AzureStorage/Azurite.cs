using System.Text.RegularExpressions;
using ApartmentManager.Tests.Shared;

namespace ApartmentManager.Functions.Tests.AzureStorage;

/// <summary>
/// Azurite (tests/local-servers, pinned npm package) in memory on 127.0.0.1, each service on a port the operating
/// system assigns (port 0; <see cref="LocalServers"/> reads the real ports from its start-up lines). Its one account gets a key made up for
/// this run (AZURITE_ACCOUNTS), so no storage key is written anywhere.
/// </summary>
internal sealed class Azurite : IDisposable
{
    private const string Account = "amtests";

    private readonly ChildProcess process;

    private Azurite(ChildProcess process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        string[] arguments =
        [
            Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"),
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0", "--tableHost", "127.0.0.1", "--tablePort", "0",
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
        ];
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var (process, ports) = await LocalServers.StartAsync(arguments, [Listening("Blob"), Listening("Queue"), Listening("Table")],
            TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["AZURITE_ACCOUNTS"] = $"{Account}:{key}" });
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={key};BlobEndpoint=http://127.0.0.1:{ports[0]}/{Account};"
            + $"QueueEndpoint=http://127.0.0.1:{ports[1]}/{Account};TableEndpoint=http://127.0.0.1:{ports[2]}/{Account};";
        return new Azurite(process, connection);
    }

    private static Regex Listening(string service) => new($@"Azurite {service} service is successfully listening at http://127\.0\.0\.1:(\d+)");

    public void Dispose() => process.Dispose();
}
