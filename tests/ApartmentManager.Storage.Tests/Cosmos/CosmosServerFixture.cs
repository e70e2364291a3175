using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ApartmentManager.Adapters.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>
/// One in-memory Cosmos-protocol server (tests/local-servers: @vercel/cosmosdb-server behind cosmos-launch.js) for
/// every test in the collection, on a free loopback port, with the database and container created by the adapter's
/// own create-if-not-exists. Tests keep apart by unique ids, residents and buildings, not by separate servers.
/// </summary>
public sealed partial class CosmosServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _serverOutput = new();
    private Process? _server;

    public CosmosDbOptions Options { get; private set; } = null!;
    public CosmosClient Client { get; private set; } = null!;
    public Container Requests => Client.GetContainer(Options.Database, Options.RequestsContainer);

    public async Task InitializeAsync()
    {
        var directory = LocalServersDirectory();
        await InstallAsync(directory);
        var port = await StartServerAsync(directory);

        // Otherwise the SDK asks the cloud metadata address (169.254.169.254) about the VM at start-up and waits.
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        Options = Configure(new CosmosDbOptions { AccountEndpoint = Endpoint(port), Database = "apartment-manager-tests" });
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
        StopServer();
        return Task.CompletedTask;
    }

    private static string LocalServersDirectory()
    {
        if (Environment.GetEnvironmentVariable("LOCAL_SERVERS_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "local-servers");
            if (File.Exists(Path.Combine(candidate, "cosmos-launch.js")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/local-servers not found above {AppContext.BaseDirectory}; set LOCAL_SERVERS_DIR.");
    }

    /// <summary>install.sh returns at once when node_modules is current, and runs <c>npm ci</c> otherwise.</summary>
    private static async Task InstallAsync(string directory)
    {
        var install = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        install.ArgumentList.Add("install.sh");
        using var process = Process.Start(install) ?? throw new InvalidOperationException("bash could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tests/local-servers/install.sh did not finish in {InstallTimeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/local-servers/install.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private async Task<int> StartServerAsync(string directory)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "cosmos-launch.js", "0", "--no-ssl" })
        {
            start.ArgumentList.Add(argument);
        }
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server = new Process { StartInfo = start, EnableRaisingEvents = true };
        _server.OutputDataReceived += (_, e) => OnOutput(e.Data, ready);
        _server.ErrorDataReceived += (_, e) => OnOutput(e.Data, ready);
        _server.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The Cosmos test server exited before it was ready:\n{Output()}"));
        if (!_server.Start())
        {
            throw new InvalidOperationException("node could not be started; is Node.js on PATH?");
        }
        // A test run that dies without disposing must not leave the server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopServer();
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        try
        {
            return await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            StopServer();
            throw new TimeoutException($"The Cosmos test server did not report a port in {StartTimeout}:\n{Output()}");
        }
    }

    private void OnOutput(string? line, TaskCompletionSource<int> ready)
    {
        if (line is null)
        {
            return;
        }
        lock (_serverOutput)
        {
            _serverOutput.AppendLine(line);
        }
        if (ReadyLine().Match(line) is { Success: true } match)
        {
            ready.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private string Output()
    {
        lock (_serverOutput)
        {
            return _serverOutput.ToString();
        }
    }

    private void StopServer()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is null)
        {
            return;
        }
        try
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        server.Dispose();
    }

    [GeneratedRegex(@"Ready to accept HTTPS? connections at 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReadyLine();
}

[CollectionDefinition(Name)]
public sealed class CosmosServerCollection : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "Cosmos test server";
}
