using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Pipeline;
using ApartmentManager.SingleNode;
using ApartmentManager.SingleNode.Security;
using ApartmentManager.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Benchmarks.Pipeline;

/// <summary>
/// End-to-end throughput of single-node mode up to the Decided state, LLM off, in the real host (Kestrel, SQLite,
/// embedded workflow, ONNX models, simulation); each request's own history says when it was filed and when it was
/// decided.
///   dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- pipeline [requests] [runsPerOption]
/// Two phases, each on a fresh host and data directory:
///  1. one request alone at a time (default settings): filing → Decided latency;
///  2. a burst of N requests posted by 64 clients: throughput to Decided, latency under the burst, and the process's CPU
///     time per request (what bounds throughput on a shared 2-core machine) with each step's share. In this phase the
///     simulation runs a request's options on the step's own thread (Decision:Simulation:Parallel=false) so each step's
///     CPU clock is exact; under a burst every core is busy anyway. The 64 clients run in the host's process (as
///     before, so the figures stay comparable), or with BENCH_CLIENTS=process in a process of their own
///     (<see cref="ClientProcess"/>): then the host's CPU per request is the server's alone, printed with the clients'.
/// The load average is printed beside the wall-clock figures: other processes on the machine slow those, not the CPU ones.
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

    /// <summary>Statuses a request has before its decision.</summary>
    private const string Undecided = "('received', 'classified', 'awaiting_resident_info', 'risk_assessed', 'options_simulated')";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var runs = args.Length > 1 ? args[1] : "2000";
        var separateClients = Environment.GetEnvironmentVariable("BENCH_CLIENTS") == "process";
        var singles = int.Parse(Environment.GetEnvironmentVariable("BENCH_SINGLES") ?? "20", CultureInfo.InvariantCulture);
        Console.WriteLine($"load average before: {LoadAverage()}");

        if (singles > 0)
        {
            await using var host = await BenchHost.StartAsync(runs, parallelSimulation: true, meterSteps: false);
            await host.WarmUpAsync();
            var alone = new List<double>();
            for (var i = 0; i < singles; i++)
            {
                var id = await host.PostAsync(1000 + i);
                alone.Add(await host.WaitDecidedAsync(id));
            }
            alone.Sort();
            Console.WriteLine(Invariant($"RESULT single-request-to-decided requests={singles} runsPerOption={runs} p50={Percentile(alone, 0.5):0.0}ms ") + Invariant($"p90={Percentile(alone, 0.9):0.0}ms max={alone[^1]:0.0}ms load=\"{LoadAverage()}\""));
        }

        await using (var host = await BenchHost.StartAsync(runs, parallelSimulation: false, meterSteps: true))
        {
            await host.WarmUpToSteadyStateAsync();
            StepCpuMeter.Totals.Clear();
            Console.WriteLine($"burst: {count} requests, process {Environment.ProcessId}");
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var jitTimeBefore = System.Runtime.JitInfo.GetCompilationTime();
            using var sampler = Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1" ? new AllocationSampler() : null;
            sampler?.Enabled = true;
            var gc = GcSnapshot.Take();
            var wall = Stopwatch.StartNew();
            double? clientCpu = null;
            if (separateClients)
            {
                clientCpu = await ClientProcess.PostAsync(host.Address, host.ResidentToken, count);
            }
            else
            {
                await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                    async (i, _) => await host.PostAsync(i));
            }
            var posted = wall.Elapsed;
            while (host.UndecidedCount() > 0 && wall.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(100);
            }
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var load = LoadAverage();
            Console.WriteLine("burst: all decided");
            var gcDuring = GcSnapshot.Take() - gc;
            sampler?.Enabled = false;
            var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
            var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore).TotalMilliseconds;

            var measured = await host.TimingsAsync();
            var first = measured.Min(t => t.Created);
            var last = measured.Max(t => t.Decided);
            var latencies = measured.Select(t => (t.Decided - t.Created).TotalMilliseconds).Order().ToList();
            Console.WriteLine(Invariant($"RESULT pipeline-to-decided requests={measured.Count} runsPerOption={runs} posting={posted.TotalSeconds:0.00}s ") + Invariant($"throughput={measured.Count / (last - first).TotalSeconds:0.0}/s p50={Percentile(latencies, 0.50):0}ms p95={Percentile(latencies, 0.95):0}ms ") + Invariant($"p99={Percentile(latencies, 0.99):0}ms cores={Environment.ProcessorCount} load=\"{load}\""));
            if (clientCpu is { } client)
            {
                Console.WriteLine(Invariant($"RESULT server-cpu-per-request={cpu / count:0.00}ms (the host's process CPU {cpu / 1000:0.0}s over {count} requests, posting to the last decision, clients in their own process; ") + Invariant($"CPU-bound ceiling on {Environment.ProcessorCount} cores = {Environment.ProcessorCount * 1000.0 / (cpu / count):0}/s)"));
                Console.WriteLine(Invariant($"RESULT client-cpu-per-request={client / count:0.00}ms (the client process's CPU {client / 1000:0.0}s, its start-up and JIT included); ") + Invariant($"server + clients = {(cpu + client) / count:0.00}ms"));
            }
            else
            {
                Console.WriteLine(Invariant($"RESULT cpu-per-request={cpu / count:0.00}ms (process CPU {cpu / 1000:0.0}s over {count} requests, posting to the last decision; ") + Invariant($"CPU-bound ceiling on {Environment.ProcessorCount} cores = {Environment.ProcessorCount * 1000.0 / (cpu / count):0}/s)"));
            }
            Console.WriteLine(Invariant($"RESULT allocated-per-request={gcDuring.AllocatedBytes / 1024.0 / count:0.0}KB (the host's process, clients included unless in their own process) ") + Invariant($"gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}{(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? " non-concurrent" : "")} collections gen0/1/2={gcDuring.Gen0}/{gcDuring.Gen1}/{gcDuring.Gen2} pause={gcDuring.PauseMs:0}ms ({gcDuring.PauseMs / count:0.00}ms per request)"));
            foreach (var line in sampler?.Top(25) ?? [])
            {
                Console.WriteLine($"allocation ticks {line}");
            }
            Console.WriteLine(Invariant($"RESULT jit-during-burst methods={jitMethods} time={jitMs:0}ms ({jitMs / count:0.00}ms per request)"));
            double steps = 0;
            Console.WriteLine("step                 calls   CPU ms/call   CPU ms/request   not synchronous");
            foreach (var (name, (calls, ms, notSync)) in StepCpuMeter.Totals.OrderByDescending(s => s.Value.CpuMs))
            {
                steps += ms;
                Console.WriteLine(Invariant($"{name,-20} {calls,5}   {ms / calls,11:0.000}   {ms / count,14:0.000}   {notSync,15}"));
            }
            Console.WriteLine(Invariant($"{"rest",-20} {"",5}   {"",11}   {(cpu - steps) / count,14:0.000}   (HTTP intake, workflow engine: status, checkpoints, progress; webhooks, GC, the poller") + (separateClients ? ")" : "; the in-process clients)"));
        }
        return 0;
    }

    /// <summary>The body of request number <paramref name="i"/> (negative: a warm-up request).</summary>
    internal static object Body(int i) =>
        new { building = i < 0 ? "warm-up-court" : "bench-court", unit = $"{Math.Abs(i) % 50}B", message = Messages[Math.Abs(i) % Messages.Length] };

    /// <summary>The process's garbage collector counters at one moment (allocation over all threads, precise).</summary>
    private readonly record struct GcSnapshot(long AllocatedBytes, int Gen0, int Gen1, int Gen2, double PauseMs)
    {
        public static GcSnapshot Take() => new(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1),
            GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

        public static GcSnapshot operator -(GcSnapshot a, GcSnapshot b) =>
            new(a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.PauseMs - b.PauseMs);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static double Percentile(List<double> sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class BenchHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;
        private readonly HttpClient _admin;
        private readonly string _requestsDb;

        public string Address { get; }
        public string ResidentToken { get; }

        private readonly string _dataDirectory;

        private BenchHost(WebApplication app, string dataDirectory)
        {
            _dataDirectory = dataDirectory;
            _app = app;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var issuer = app.Services.GetRequiredService<DevTokenIssuer>();
            Address = address;
            ResidentToken = issuer.Mint("bench-resident", "resident");
            _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ResidentToken);
            _admin = new HttpClient { BaseAddress = new Uri(address) };
            _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("bench-admin", "admin"));
            _requestsDb = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "requests.db"), Mode = SqliteOpenMode.ReadOnly }.ToString();
        }

        public static async Task<BenchHost> StartAsync(string runs, bool parallelSimulation, bool meterSteps)
        {
            var dir = Directory.CreateTempSubdirectory("am-bench-").FullName;
            var app = SingleNodeApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:DataDirectory", dir, "--Logging:LogLevel:Default", "Warning",
                "--Decision:Simulation:Runs", runs, "--Decision:Simulation:Parallel", parallelSimulation ? "true" : "false",
                "--Workflow:MaxConcurrentInstances", Environment.GetEnvironmentVariable("BENCH_WORKERS") ?? "4",
                "--Workflow:QueueCapacity", "4096", "--Limits:Enabled", "false"], builder =>
                {
                    if (meterSteps)
                    {
                        builder.Services.AddSingleton<RequestPipelineSteps>(sp => ActivatorUtilities.CreateInstance<RequestPipelineSteps>(sp));
                        builder.Services.AddSingleton(sp => StepCpuMeter.Wrap(sp.GetRequiredService<RequestPipelineSteps>()));
                    }
                });
            await app.StartAsync();
            return new BenchHost(app, dir);
        }

        /// <summary>Models, JIT, SQLite pages: 20 requests through to their decisions.</summary>
        public async Task WarmUpAsync()
        {
            foreach (var i in Enumerable.Range(0, 20))
            {
                await PostAsync(-1 - i);
            }
            await WaitAllDecidedAsync();
            await Task.Delay(1000);
        }

        /// <summary>
        /// Steady state for the burst: rounds of 100 concurrent requests until the JIT has settled (a round compiles
        /// fewer than 50 methods; at most 10 rounds). The runtime compiles hot methods again, optimised, only after they
        /// have run for a while, so a burst right after start-up measures the JIT and unoptimised code as much as the
        /// pipeline.
        /// </summary>
        public async Task WarmUpToSteadyStateAsync()
        {
            await WarmUpAsync();
            var next = -1000;
            for (var round = 1; round <= 10; round++)
            {
                var before = System.Runtime.JitInfo.GetCompiledMethodCount();
                var first = next;
                next -= 100;
                await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                    async (i, _) => await PostAsync(first - i));
                await WaitAllDecidedAsync();
                await Task.Delay(500);
                var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
                Console.WriteLine(Invariant($"warm-up round {round}: 100 requests, {compiled} methods compiled"));
                if (compiled < 50)
                {
                    break;
                }
            }
        }

        private async Task WaitAllDecidedAsync()
        {
            while (UndecidedCount() > 0)
            {
                await Task.Delay(50);
            }
        }

        public async Task<string> PostAsync(int i)
        {
            var response = await _client.PostAsJsonAsync("/api/v1/requests", Body(i));
            response.EnsureSuccessStatusCode();
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return body["id"]!.GetValue<string>();
        }

        /// <summary>Filing → Decided of one request, from its history (polled in process, every 2 ms).</summary>
        public async Task<double> WaitDecidedAsync(string id)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMinutes(1))
            {
                using var connection = new SqliteConnection(_requestsDb);
                connection.Open();
                using var select = connection.CreateCommand();
                select.CommandText = "SELECT doc FROM requests WHERE id = $id";
                select.Parameters.AddWithValue("$id", id);
                if (select.ExecuteScalar() is string doc && Decided(JsonNode.Parse(doc)!) is { } t)
                {
                    return (t.Decided - t.Created).TotalMilliseconds;
                }
                await Task.Delay(2);
            }
            throw new TimeoutException($"request {id} was not decided within a minute");
        }

        public long UndecidedCount()
        {
            using var connection = new SqliteConnection(_requestsDb);
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM requests WHERE status IN {Undecided}";
            return (long)count.ExecuteScalar()!;
        }

        public async Task<List<(DateTimeOffset Created, DateTimeOffset Decided)>> TimingsAsync()
        {
            var result = new List<(DateTimeOffset, DateTimeOffset)>();
            string? token = null;
            do
            {
                var page = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/requests?building=bench-court&limit=100"
                    + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))))!;
                foreach (var item in page["items"]!.AsArray())
                {
                    if (Decided(item!) is { } t)
                    {
                        result.Add(t);
                    }
                }
                token = page["continuationToken"]?.GetValue<string>();
            }
            while (token is not null);
            return result;
        }

        private static (DateTimeOffset Created, DateTimeOffset Decided)? Decided(JsonNode request)
        {
            var decided = request["history"]!.AsArray().FirstOrDefault(h => h!["to"]?.GetValue<string>() == "decided");
            return decided is null ? null : (request["createdAt"]!.GetValue<DateTimeOffset>(), decided["at"]!.GetValue<DateTimeOffset>());
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _client.Dispose();
            _admin.Dispose();
            // Each run's data directory holds several hundred MB (thousands of requests and their WAL): removed unless
            // BENCH_KEEP_DATA=1 asks to keep it for inspection.
            if (Environment.GetEnvironmentVariable("BENCH_KEEP_DATA") != "1")
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(_dataDirectory, recursive: true);
            }
            else
            {
                Console.WriteLine($"data kept in {_dataDirectory}");
            }
        }
    }
}
