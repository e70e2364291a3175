using System.Text.RegularExpressions;

namespace ApartmentManager.Functions.Tests.AzureStorage;

/// <summary>
/// Azurite (tests/local-servers, pinned npm package) in memory on 127.0.0.1, each service on a port the operating
/// system assigns (port 0; the real ports are read from its start-up lines). Its one account gets a key made up for
/// this run (AZURITE_ACCOUNTS), so no storage key is written anywhere.
/// </summary>
internal sealed partial class Azurite : IDisposable
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
        var servers = Path.Combine(BuildInfo.RepoRoot, "tests", "local-servers");
        await InstallAsync(servers);
        string[] arguments =
        [
            Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"),
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0", "--tableHost", "127.0.0.1", "--tablePort", "0",
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
        ];
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var (process, ports) = await ChildProcess.StartAsync("node", arguments, servers, new Dictionary<string, string> { ["AZURITE_ACCOUNTS"] = $"{Account}:{key}" },
            [Listening("Blob"), Listening("Queue"), Listening("Table")], TimeSpan.FromSeconds(60));
        string Port(int i) => ports[i].Groups[1].Value;
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={key};BlobEndpoint=http://127.0.0.1:{Port(0)}/{Account};"
            + $"QueueEndpoint=http://127.0.0.1:{Port(1)}/{Account};TableEndpoint=http://127.0.0.1:{Port(2)}/{Account};";
        return new Azurite(process, connection);
    }

    private static Regex Listening(string service) => new($@"Azurite {service} service is successfully listening at http://127\.0\.0\.1:(\d+)");

    /// <summary>install.sh returns at once when node_modules is current and runs <c>npm ci</c> otherwise.</summary>
    private static async Task InstallAsync(string servers)
    {
        if (File.Exists(Path.Combine(servers, "node_modules", "azurite", "dist", "src", "azurite.js")))
        {
            return;
        }
        var (install, _) = await ChildProcess.StartAsync("bash", ["-c", "bash install.sh && echo local-servers-installed"], servers,
            new Dictionary<string, string>(), [InstalledLine()], TimeSpan.FromMinutes(5));
        install.Dispose();
    }

    [GeneratedRegex("^local-servers-installed$")]
    private static partial Regex InstalledLine();

    public void Dispose() => process.Dispose();
}
