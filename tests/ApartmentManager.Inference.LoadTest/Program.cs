using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using ApartmentManager.Adapters.Inference.Contracts;
using ApartmentManager.Inference.Server;
using ApartmentManager.Inference.Server.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project tests/ApartmentManager.Inference.LoadTest [seconds-per-phase=10]
// The server runs in this process on loopback (same machine, same cores as the clients: the numbers are a floor).
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var models = Path.Combine(AppContext.BaseDirectory, "models");
Console.WriteLine($"cores={Environment.ProcessorCount} phase={seconds}s");

// 1. Server overhead against raw ONNX Runtime: the same model, the same batch of 32 texts, one caller.
{
    var texts = Enumerable.Range(0, 32).Select(Text).ToArray();
    var options = new InferenceServerOptions();
    using var session = OnnxSessions.Create(Path.Combine(models, "text-classifier.onnx"), options, NullLogger.Instance, out var ep);
    using var raw = new TextClassifierModel(Path.Combine(models, "text-classifier.onnx"), session, ep);
    await using var server = await StartAsync(batching: true);
    using var http = Client(server.Address());
    var body = new ClassifyRequest(texts);
    // Interleaved rounds so drift (thermal, other tenants) hits both sides alike.
    var rawTimes = new List<double>();
    var httpTimes = new List<double>();
    var pingTimes = new List<double>();
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    for (var i = 0; i < 20; i++)
    {
        raw.Run(texts);
        (await http.PostAsJsonAsync("v1/classify", body, InferenceJson.Options)).EnsureSuccessStatusCode();
    }
    while (Stopwatch.GetTimestamp() < until)
    {
        var t = Stopwatch.GetTimestamp();
        raw.Run(texts);
        rawTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        t = Stopwatch.GetTimestamp();
        using var r = await http.PostAsJsonAsync("v1/classify", body, InferenceJson.Options);
        _ = await r.Content.ReadFromJsonAsync<ClassifyResponse>(InferenceJson.Options);
        httpTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        // A bare round trip (GET /healthz): what the loopback HTTP stack and thread hops cost on this machine right now.
        t = Stopwatch.GetTimestamp();
        using var ping = await http.GetAsync("healthz");
        pingTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    var rawMedian = Percentile(rawTimes, 0.5);
    var httpMedian = Percentile(httpTimes, 0.5);
    Console.WriteLine($"overhead text-classifier batch=32: raw ORT (featurise+run+explain) p50={rawMedian:0.000} ms, server over HTTP p50={httpMedian:0.000} ms, " +
        $"ratio={httpMedian / rawMedian:0.000} (overhead {(httpMedian / rawMedian - 1) * 100:0.0} %), n={rawTimes.Count}");
    Console.WriteLine($"  bare HTTP round trip (GET /healthz) p50={Percentile(pingTimes, 0.5):0.000} ms");
    var m = await http.GetStringAsync("metrics");
    Console.WriteLine($"  server side: mean session call (batch copy + run) {Mean(m, "inference_batch_duration_seconds", "text-classifier") * 1000:0.000} ms, " +
        $"mean queue wait {Mean(m, "inference_queue_wait_seconds", "text-classifier") * 1000:0.000} ms, mean request {Mean(m, "inference_request_duration_seconds", "text-classifier") * 1000:0.000} ms");
}

// 2. 64 concurrent clients, one text per request, batching off and on: the embedding model (the issue's measure),
//    then the text classifier (a costlier session call).
foreach (var (route, model) in new[] { ("v1/embeddings", "embeddings"), ("v1/classify", "text-classifier") })
foreach (var batching in new[] { false, true })
{
    await using var server = await StartAsync(batching);
    using var http = Client(server.Address());
    var latencies = new List<double>[64];
    var stop = false;
    var counter = 0;
    async Task ClientLoop(int id)
    {
        var mine = latencies[id] = [];
        while (!Volatile.Read(ref stop))
        {
            var n = Interlocked.Increment(ref counter);
            var t = Stopwatch.GetTimestamp();
            using var r = await http.PostAsJsonAsync(route, new EmbeddingsRequest([Text(n)]), InferenceJson.Options);
            r.EnsureSuccessStatusCode();
            _ = await r.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }
    // Warm-up phase, then the measured phase.
    var warm = Enumerable.Range(0, 64).Select(ClientLoop).ToArray();
    await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, seconds / 4)));
    Volatile.Write(ref stop, true);
    await Task.WhenAll(warm);
    Volatile.Write(ref stop, false);
    var started = Stopwatch.GetTimestamp();
    var tasks = Enumerable.Range(0, 64).Select(ClientLoop).ToArray();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref stop, true);
    await Task.WhenAll(tasks);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).ToList();
    var metrics = await http.GetStringAsync("metrics");
    Console.WriteLine($"{model} 64 clients batching={(batching ? "on " : "off")}: {all.Count / elapsed:0} req/s, p50={Percentile(all, 0.5):0.00} ms, p99={Percentile(all, 0.99):0.00} ms, " +
        $"mean batch={MeanBatch(metrics, model):0.0} rows");
}

static async Task<WebApplication> StartAsync(bool batching)
{
    var app = InferenceServerApp.Build([], builder =>
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Inference:Batching:Enabled"] = batching ? "true" : "false", ["Logging:LogLevel:Default"] = "Warning" });
    });
    await app.StartAsync();
    using var http = Client(Address(app));
    while (!(await http.GetAsync("readyz")).IsSuccessStatusCode)
    {
        await Task.Delay(50);
    }
    return app;
}

static Uri Address(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

static HttpClient Client(Uri address) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address };

static string Text(int i) => $"water leaking from the ceiling near the kitchen light number {i % 97} and the heater is noisy";

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

static double MeanBatch(string metrics, string model) => Mean(metrics, "inference_batch_size", model);

static double Mean(string metrics, string name, string model)
{
    double sum = 0, count = 0;
    foreach (var line in metrics.Split('\n'))
    {
        if (!line.Contains($"model=\"{model}\"", StringComparison.Ordinal))
        {
            continue;
        }
        var value = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        if (line.StartsWith(name + "_sum{", StringComparison.Ordinal)) sum += value;
        if (line.StartsWith(name + "_count{", StringComparison.Ordinal)) count += value;
    }
    return count == 0 ? 0 : sum / count;
}

internal static class WebApplicationExtensions
{
    public static Uri Address(this WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
}
