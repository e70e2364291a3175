using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Inference.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: dotnet run -c Release --project tests/ApartmentManager.Inference.LoadTest [seconds-per-phase=10]
//        … -- encoder-providers [seconds-per-case=10] [providers=cpu,cuda]   (the GPU figures; see inference-containers/gpu-benchmark.sh)
//        … -- batching [seconds-per-phase=10]                                  (only the 64-client batching on/off runs, server in its own process)
//        … -- encoder-cpu [seconds-per-case=5]                               (the raw encoder's CPU per row by length and batch size)
//        … -- added-cpu [requests-per-round=200] [rounds=5]                  (CPU the encoder adds to the classify step)
if (args is ["encoder-providers", ..])
{
    var perCase = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
    var providers = (args.Length > 2 ? args[2] : "cpu,cuda").Split(',');
    return EncoderProviders.Run(Path.Combine(AppContext.BaseDirectory, "models", "encoder"), perCase, providers);
}
if (args is ["encoder-cpu", ..])
{
    return EncoderCpu.Run(Path.Combine(AppContext.BaseDirectory, "models", "encoder"), args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
}
if (args is ["added-cpu", ..])
{
    return await AddedCpu.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
}
// The server runs in this process on loopback (same machine, same cores as the clients: the numbers are a floor).
// "batching [seconds]" runs only part 2 (batching on vs off).
var onlyBatching = args is ["batching", ..];
var seconds = onlyBatching ? (args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10)
    : args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var models = Path.Combine(AppContext.BaseDirectory, "models");
Console.WriteLine($"cores={Environment.ProcessorCount} phase={seconds}s");

// 1. Server overhead against raw ONNX Runtime: the sentence encoder, the same batch of 32 texts, one caller
//    (raw = tokenise + one padded session call + mean-pool + normalise, the code the server runs; cache off on the server).
//    First 32 texts of one length (one bucket on the server, one session call on both sides: the overhead proper), then
//    32 texts of mixed lengths (raw pads them all to the longest; the server splits them into its length buckets).
foreach (var (label, texts) in onlyBatching ? [] : new[]
{
    ("same length", Enumerable.Range(0, 32).Select(i => Text(i * 7 + 3)).ToArray()),
    ("mixed lengths", Enumerable.Range(0, 32).Select(Text).ToArray()),
})
{
    var raw = ApartmentManager.Scoring.SharedSentenceEncoders.Get(Path.Combine(models, "encoder"), new ApartmentManager.Scoring.OnnxSessionSettings(),
        ApartmentManager.Scoring.SentenceEncoder.DefaultMaxTokens, 32, 0).Encoder;
    await using var server = await StartAsync(batching: true);
    using var http = Client(server.Address());
    var body = new EmbeddingsRequest(texts);
    // Interleaved rounds so drift (thermal, other tenants) hits both sides alike.
    var rawTimes = new List<double>();
    var httpTimes = new List<double>();
    var pingTimes = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        raw.Encode(texts, 32);
        (await http.PostAsJsonAsync("v1/embeddings", body, InferenceJson.Options)).EnsureSuccessStatusCode();
    }
    // The clock starts after the warm-up (on a loaded machine the warm-up alone can take longer than a phase), and at
    // least 30 interleaved rounds are measured.
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    while (Stopwatch.GetTimestamp() < until || rawTimes.Count < 30)
    {
        var t = Stopwatch.GetTimestamp();
        raw.Encode(texts, 32);
        rawTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        t = Stopwatch.GetTimestamp();
        using var r = await http.PostAsJsonAsync("v1/embeddings", body, InferenceJson.Options);
        _ = await r.Content.ReadFromJsonAsync<EmbeddingsResponse>(InferenceJson.Options);
        httpTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        // A bare round trip (GET /healthz): what the loopback HTTP stack and thread hops cost on this machine right now.
        t = Stopwatch.GetTimestamp();
        using var ping = await http.GetAsync("healthz");
        pingTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    var rawMedian = Percentile(rawTimes, 0.5);
    var httpMedian = Percentile(httpTimes, 0.5);
    Console.WriteLine($"overhead encoder batch=32 ({label}): raw ORT (tokenise+run+pool) p50={rawMedian:0.000} ms, server over HTTP p50={httpMedian:0.000} ms, " +
        $"ratio={httpMedian / rawMedian:0.000} (overhead {(httpMedian / rawMedian - 1) * 100:0.0} %), n={rawTimes.Count}");
    Console.WriteLine($"  bare HTTP round trip (GET /healthz) p50={Percentile(pingTimes, 0.5):0.000} ms");
    var m = await http.GetStringAsync("metrics");
    Console.WriteLine($"  server side: mean request {Mean(m, "inference_request_duration_seconds", "encoder") * 1000:0.000} ms");
}

// 2. 64 concurrent clients, one text per request, batching off and on, the server in its own process (its CPU time
//    measured apart from the clients'): the sentence encoder (the issue's measure; cache off, every text distinct) on
//    mixed lengths (8 to ~60 words, 20–74 word pieces) and on short texts (~12 word pieces), then the n-gram classifier.
foreach (var (route, model, label, text) in new (string, string, string, Func<int, string>)[]
{
    ("v1/embeddings", "encoder", "mixed lengths", Text),
    ("v1/embeddings", "encoder", "short texts", ShortText),
    ("v1/classify", "text-classifier", "mixed lengths", Text),
})
foreach (var batching in new[] { false, true })
{
    await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["Inference:Batching:Enabled"] = batching ? "true" : "false",
        ["Inference:EmbeddingCacheCapacity"] = "0",
    });
    using var http = Client(server.Address);
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
            using var r = await http.PostAsJsonAsync(route, new EmbeddingsRequest([text(n)]), InferenceJson.Options);
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
    var before = await http.GetStringAsync("metrics");
    var loadBefore = LoadAverage();
    var client = Process.GetCurrentProcess();
    var clientCpuBefore = client.TotalProcessorTime;
    var serverCpuBefore = server.CpuTime;
    var started = Stopwatch.GetTimestamp();
    var tasks = Enumerable.Range(0, 64).Select(ClientLoop).ToArray();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref stop, true);
    await Task.WhenAll(tasks);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var serverCpu = (server.CpuTime - serverCpuBefore).TotalMilliseconds;
    client.Refresh();
    var clientCpu = (client.TotalProcessorTime - clientCpuBefore).TotalMilliseconds;
    var all = latencies.SelectMany(l => l).ToList();
    var after = await http.GetStringAsync("metrics");
    var rows = Sum(after, "inference_batch_size", model, "_sum") - Sum(before, "inference_batch_size", model, "_sum");
    var calls = Sum(after, "inference_batch_size", model, "_count") - Sum(before, "inference_batch_size", model, "_count");
    Console.WriteLine($"{model} ({label}) 64 clients batching={(batching ? "on " : "off")}: {all.Count / elapsed:0} req/s, p50={Percentile(all, 0.5):0.00} ms, p99={Percentile(all, 0.99):0.00} ms, " +
        $"mean batch={rows / Math.Max(1, calls):0.0} rows, server CPU {serverCpu / Math.Max(1, all.Count):0.00} ms per request, load tool CPU {clientCpu / Math.Max(1, all.Count):0.00} ms per request, " +
        $"load average {loadBefore} → {LoadAverage()}");
}
return 0;

static async Task<WebApplication> StartAsync(bool batching)
{
    var app = InferenceServerApp.Build([], builder =>
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Inference:Batching:Enabled"] = batching ? "true" : "false",
            ["Inference:EmbeddingCacheCapacity"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
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

static string Text(int i) =>
    $"request {i}: water leaking from the ceiling near the kitchen light and the heater is noisy"
    + string.Concat(Enumerable.Repeat(" it started last night and keeps getting worse", i % 7));

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

static string ShortText(int i) => $"request {i}: the hallway light flickers";

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static double Sum(string metrics, string name, string model, string suffix)
{
    double sum = 0;
    foreach (var line in metrics.Split('\n'))
    {
        if (line.StartsWith(name + suffix + "{", StringComparison.Ordinal)
            && (line.Contains($"model=\"{model}\"", StringComparison.Ordinal) || line.Contains($"model=\"{model}-", StringComparison.Ordinal)))
        {
            sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
    }
    return sum;
}

// The encoder's batchers are named encoder-16, encoder-32, … (one per token-length bucket).

static double Mean(string metrics, string name, string model)
{
    double sum = 0, count = 0;
    foreach (var line in metrics.Split('\n'))
    {
        if (!line.Contains($"model=\"{model}\"", StringComparison.Ordinal) && !line.Contains($"model=\"{model}-", StringComparison.Ordinal))
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
