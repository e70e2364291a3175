using ApartmentManager.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
    private readonly HttpClient _upstream;
    private WebApplication _app = null!;
    private int _hits;
    private int _forwarded;

    private ChaosServer(Uri upstream)
    {
        _upstream = new HttpClient { BaseAddress = upstream };
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Chooses the behaviour for the n-th request (0-based).</summary>
    public Func<int, ChaosMode> Mode { get; set; } = _ => ChaosMode.Forward;

    public int Hits => Volatile.Read(ref _hits);
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Starts on the tests' shared <see cref="LoopbackServer"/> (127.0.0.1, a port the OS assigns).</summary>
    public static async Task<ChaosServer> StartAsync(Uri upstream)
    {
        var chaos = new ChaosServer(upstream);
        (chaos._app, chaos.Address) = await LoopbackServer.StartAsync(app => app.Run(chaos.HandleAsync));
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
