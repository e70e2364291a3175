using System.Net;
using ApartmentManager.Inference.Server;
using ApartmentManager.Inference.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Inference.Tests;

/// <summary>A real inference server on 127.0.0.1 with an OS-chosen port.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<RunningServer> StartAsync(IDictionary<string, string?>? settings = null, IReadinessGate? gate = null, bool waitUntilReady = true)
    {
        var app = InferenceServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            // One warm-up round: the encoder session is shared by every server in the test run and already warm after the first.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Inference:Warmup:Iterations"] = "1" });
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (gate is not null)
            {
                builder.Services.AddSingleton(gate);
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        var server = new RunningServer(app, address);
        if (waitUntilReady)
        {
            await server.WaitReadyAsync();
        }
        return server;
    }

    public async Task WaitReadyAsync()
    {
        for (var i = 0; i < 2400; i++)
        {
            using var response = await Http.GetAsync("readyz");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The inference server did not become ready.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One server with default settings shared by the read-only tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["Inference:Batching:MaxQueueDelayMilliseconds"] = "3",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
