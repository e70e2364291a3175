using System.Net.Http.Headers;
using ApartmentManager.SingleNode;
using ApartmentManager.SingleNode.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// The real single-node host (Kestrel, SQLite, JWT) listening on 127.0.0.1 on a port the OS picks. Tests talk to it
/// over real HTTP only; they reach inside (services) only to set up states the API cannot create yet.
/// </summary>
public sealed class SingleNodeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDirectory;

    private SingleNodeHost(WebApplication app, string dataDirectory, bool ownsDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;

    public static Task<SingleNodeHost> StartAsync(string? dataDirectory = null, params string[] extraArgs) =>
        StartCustomizedAsync(customize: null, dataDirectory, extraArgs);

    /// <summary>Starts the host with <paramref name="customize"/> applied to its builder (e.g. an in-memory trace exporter).</summary>
    public static async Task<SingleNodeHost> StartCustomizedAsync(Action<WebApplicationBuilder>? customize, string? dataDirectory, params string[] extraArgs)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("am-host-").FullName;
        var app = SingleNodeApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:DataDirectory", dataDirectory,
            "--Logging:LogLevel:Default", "Warning",
            // Most tests drive hundreds of calls from one subject and address; CallerLimitTests turn the limits on.
            "--Limits:Enabled", "false",
            .. extraArgs,
        ], customize);
        await app.StartAsync();
        return new SingleNodeHost(app, dataDirectory, owns);
    }

    public string Token(string subject, string role) => _app.Services.GetRequiredService<DevTokenIssuer>().Mint(subject, role);

    public HttpClient Client(string? subject = null, string role = "resident")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (subject is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, role));
        }
        return client;
    }

    public HttpClient Admin() => Client("manager-1", "admin");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still closing is not worth failing a test for; the OS cleans temp.
            }
        }
    }
}

/// <summary>
/// One host shared by a test class, with the workflow engine off: these tests pin down the API's own behaviour and
/// set up pipeline states themselves, which a running pipeline would race.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    public SingleNodeHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The whole system as shipped: embedded workflow engine, real models, embedded gateways.</summary>
public sealed class PipelineHostFixture : IAsyncLifetime
{
    public SingleNodeHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SingleNodeHost.StartAsync(null, "--Workflow:PollInterval", "00:00:00.100");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
