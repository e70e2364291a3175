using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Inference.Tests;

public enum ChaosMode
{
    /// <summary>Pass the request to the real inference server.</summary>
    Forward,
    Fail500,
    Fail503,
    Stall,
    GarbageJson,
    WrongShape,
}

/// <summary>A real loopback HTTP server in front of the real inference server that fails, stalls or lies on demand.</summary>
public sealed class ChaosServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _hits;
    private int _forwarded;

    private ChaosServer(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = new HttpClient { BaseAddress = upstream };
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Chooses the behaviour for the n-th request (0-based).</summary>
    public Func<int, ChaosMode> Mode { get; set; } = _ => ChaosMode.Forward;

    public int Hits => Volatile.Read(ref _hits);
    public int Forwarded => Volatile.Read(ref _forwarded);

    public static async Task<ChaosServer> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var chaos = new ChaosServer(app, upstream);
        app.Run(chaos.HandleAsync);
        await app.StartAsync();
        chaos.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return chaos;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _hits) - 1;
        switch (Mode(n))
        {
            case ChaosMode.Fail500:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("boom");
                return;
            case ChaosMode.Fail503:
                context.Response.StatusCode = 503;
                return;
            case ChaosMode.Stall:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            case ChaosMode.GarbageJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"results\": [ {\"categoryProb");
                return;
            case ChaosMode.WrongShape:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"model\":\"x\",\"modelVersion\":\"x\",\"categoryLabels\":[],\"urgencyLabels\":[],\"results\":[{\"categoryProbabilities\":[7],\"urgencyProbabilities\":[],\"topFeatures\":[]}]," +
                    "\"dimensions\":3,\"embeddings\":[[1,2,3]]}");
                return;
            default:
                Interlocked.Increment(ref _forwarded);
                using (var request = new HttpRequestMessage(HttpMethod.Post, context.Request.Path.Value!.TrimStart('/')))
                {
                    request.Content = new StreamContent(context.Request.Body);
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType!);
                    using var response = await _upstream.SendAsync(request, context.RequestAborted);
                    context.Response.StatusCode = (int)response.StatusCode;
                    context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
                    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
                }
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
