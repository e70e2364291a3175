using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ApartmentManager.SingleNode;
using ApartmentManager.SingleNode.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Benchmarks.Pipeline;

/// <summary>
/// End-to-end throughput of single-node mode up to the Decided state, LLM off: N requests are posted over HTTP by 64
/// concurrent clients into the real host (Kestrel, SQLite, embedded workflow, ONNX models, simulation); each
/// request's own history says when it was created and when it was decided.
///   dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- pipeline [requests] [runsPerOption]
/// </summary>
public static class PipelineThroughput
{
    private static readonly string[] Messages =
    [
        "Water is pouring from under my kitchen sink", "The heat is not working and it is freezing",
        "My rent charge is wrong this month", "Loud music from the unit above every night",
        "The dishwasher does not drain", "I see mice in the kitchen", "The front door lock is broken",
        "Package was stolen from the lobby", "Hallway light flickers", "The garage gate will not open",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var runs = args.Length > 1 ? args[1] : "2000";
        var dir = Directory.CreateTempSubdirectory("am-bench-").FullName;
        var app = SingleNodeApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", dir, "--Logging:LogLevel:Default", "Warning",
            "--Decision:Simulation:Runs", runs, "--Workflow:MaxConcurrentInstances", Environment.GetEnvironmentVariable("BENCH_WORKERS") ?? "4", "--Workflow:QueueCapacity", "4096", "--Limits:Enabled", "false"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var issuer = app.Services.GetRequiredService<DevTokenIssuer>();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("bench-resident", "resident"));
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("bench-admin", "admin"));

        // Warm-up: models, JIT, SQLite pages.
        await PostAsync(client, 0);
        await Task.Delay(2000);

        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => await PostAsync(client, i));
        var posted = wall.Elapsed;

        List<(DateTimeOffset Created, DateTimeOffset Decided)> timings;
        while (true)
        {
            timings = await DecidedAsync(admin);
            if (timings.Count >= count + 1 || wall.Elapsed > TimeSpan.FromMinutes(10))
            {
                break;
            }
            await Task.Delay(2000); // each poll reads every request: keep it from competing with the pipeline
        }
        var measured = timings.OrderBy(t => t.Created).Skip(1).ToList(); // not the warm-up request
        var first = measured.Min(t => t.Created);
        var last = measured.Max(t => t.Decided);
        var latencies = measured.Select(t => (t.Decided - t.Created).TotalMilliseconds).Order().ToArray();
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine($"RESULT pipeline-to-decided requests={measured.Count} runsPerOption={runs} posting={posted.TotalSeconds:0.00}s " +
            $"throughput={measured.Count / (last - first).TotalSeconds:0.0}/s p50={P(0.50):0}ms p95={P(0.95):0}ms p99={P(0.99):0}ms " +
            $"cores={Environment.ProcessorCount}");
        await app.StopAsync();
        return 0;
    }

    private static async Task PostAsync(HttpClient client, int i)
    {
        var response = await client.PostAsJsonAsync("/api/v1/requests",
            new { building = "bench-court", unit = $"{i % 50}B", message = Messages[i % Messages.Length] });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<List<(DateTimeOffset, DateTimeOffset)>> DecidedAsync(HttpClient admin)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset)>();
        string? token = null;
        do
        {
            var page = JsonNode.Parse(await admin.GetStringAsync("/api/v1/requests?building=bench-court&limit=100"
                + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))))!;
            foreach (var item in page["items"]!.AsArray())
            {
                var history = item!["history"]!.AsArray();
                var decided = history.FirstOrDefault(h => h!["to"]?.GetValue<string>() == "decided");
                if (decided is not null)
                {
                    result.Add((item["createdAt"]!.GetValue<DateTimeOffset>(), decided["at"]!.GetValue<DateTimeOffset>()));
                }
            }
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return result;
    }
}
