using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ApartmentManager.SingleNode;
using ApartmentManager.SingleNode.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Benchmarks.Soak;

/// <summary>
/// Soak of the single-node host in webhook mode (not part of the unit run):
///   dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- soak [messages] [kills] [failureRate]
/// The host runs as a child process with its work orders, notifications and ledger entries going to receivers in this
/// process that answer 503 to a fraction of calls (failureRate) and 2xx to the rest. Every message is posted to the
/// intake queue twice (same message id) by 8 clients that retry through outages; meanwhile the host is SIGKILLed
/// <c>kills</c> times at random moments and restarted. After the last restart the run waits for the pipeline to settle
/// and reports: lost (a message with no request), duplicated (a message with more than one request), unsettled (a
/// request not done or waiting for a person, intake messages or workflow instances left over), double-executed (an
/// action the receivers accepted twice under one idempotency key, or a request given two work orders for one round).
/// The accepted actions are written to accepted-actions.txt in the run's data directory.
/// </summary>
public static class SoakRun
{
    private static readonly string[] Settled =
        ["awaiting_resident_choice", "awaiting_manager_approval", "awaiting_resident_info", "in_progress", "awaiting_confirmation",
         "resolved", "escalated", "cancelled", "failed"];

    private static readonly string[] Messages =
    [
        "Water is pouring from under my kitchen sink", "The heat is not working and it is freezing",
        "My rent charge is wrong this month", "Loud music from the unit above every night",
        "The dishwasher does not drain", "I see mice in the kitchen", "The front door lock is broken",
        "Package was stolen from the lobby", "Hallway light flickers", "The garage gate will not open",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var kills = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var failureRate = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.3;
        var settleMinutes = double.Parse(Environment.GetEnvironmentVariable("SOAK_SETTLE_MINUTES") ?? "15", CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        var dir = Directory.CreateTempSubdirectory("am-soak-").FullName;
        Console.WriteLine($"soak: {messages} messages x2, {kills} kills, {failureRate:P0} receiver failures; data {dir}; load {LoadAverage()}");

        // The receivers: 503 to a fraction of calls, 200 with a reference to the rest; every accepted key is counted.
        var accepted = new ConcurrentDictionary<string, int>();
        var calls = 0L;
        var failed = 0L;
        var random = new Random(20261130);
        var receivers = WebApplication.CreateSlimBuilder();
        receivers.WebHost.UseUrls("http://127.0.0.1:0");
        receivers.Logging.ClearProviders();
        var hooks = receivers.Build();
        hooks.MapPost("/{receiver}", async (string receiver, HttpContext context) =>
        {
            Interlocked.Increment(ref calls);
            var key = context.Request.Headers["Idempotency-Key"].ToString();
            await context.Request.Body.CopyToAsync(Stream.Null);
            bool fail;
            lock (random)
            {
                fail = random.NextDouble() < failureRate;
            }
            if (fail)
            {
                Interlocked.Increment(ref failed);
                return Results.StatusCode(503);
            }
            accepted.AddOrUpdate($"{receiver}|{key}", 1, (_, n) => n + 1);
            return Results.Json(new { reference = $"{receiver}-{Math.Abs(key.GetHashCode(StringComparison.Ordinal)) % 1_000_000}" });
        });
        await hooks.StartAsync();
        var hookBase = hooks.Urls.First();

        var port = FreePort();
        var host = new HostProcess(dir, port, hookBase);
        await host.StartAsync();
        var issuer = new DevTokenIssuer(SigningKeyFile.LoadOrCreate(dir), new DevAuthOptions(), TimeProvider.System);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("soak-gateway", "admin"));

        var posted = 0;
        var postingDone = false;
        var killer = Task.Run(async () =>
        {
            var r = new Random(7);
            for (var k = 0; k < kills; k++)
            {
                // Spread the kills over the posting and the drain after it.
                await Task.Delay(r.Next(1500, 6000));
                host.Kill();
                Console.WriteLine($"kill {k + 1,2} at {clock.Elapsed.TotalSeconds,6:0.0}s, {Volatile.Read(ref posted)} of {2 * messages} posts accepted{(Volatile.Read(ref postingDone) ? " (posting done)" : "")}");
                await host.StartAsync();
            }
        });

        // Every message twice, the second time later, by 8 gateway clients that retry through outages.
        var deliveries = Enumerable.Range(0, messages).Select(i => (i, round: 0))
            .Concat(Enumerable.Range(0, messages).Select(i => (i, round: 1))).ToList();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, ct) =>
        {
            while (true)
            {
                try
                {
                    using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake")
                    {
                        Content = JsonContent.Create(new
                        {
                            residentId = $"soak-res-{d.i}", building = "soak-court", unit = $"{d.i % 40}C",
                            message = Messages[d.i % Messages.Length], channel = "sms",
                        }),
                    };
                    post.Headers.Add("Idempotency-Key", $"soak-msg-{d.i}");
                    var response = await client.SendAsync(post, ct);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref posted);
                        return;
                    }
                    if ((int)response.StatusCode is >= 400 and < 500 and not 429)
                    {
                        throw new InvalidOperationException($"intake answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // the host is down: retry, as a channel gateway would
                }
                await Task.Delay(200, ct);
            }
        });
        Volatile.Write(ref postingDone, true);
        Console.WriteLine($"all {2 * messages} posts accepted at {clock.Elapsed.TotalSeconds:0.0}s");
        await killer;
        Console.WriteLine($"last restart at {clock.Elapsed.TotalSeconds:0.0}s; waiting up to {settleMinutes} min for the pipeline to settle");

        using var admin = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("soak-admin", "admin"));
        List<(string Id, string Resident, string Status)> requests = [];
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(settleMinutes);
        while (clock.Elapsed < deadline)
        {
            requests = await AllAsync(admin);
            if (requests.Count >= messages && requests.All(r => Settled.Contains(r.Status)) && host.Leftovers() is (0, 0))
            {
                break;
            }
            await Task.Delay(2000);
        }
        var settledAt = clock.Elapsed;
        host.Kill();
        var (queueLeft, workflowsLeft) = host.Leftovers();

        var perResident = requests.GroupBy(r => r.Resident).ToDictionary(g => g.Key, g => g.Count());
        var lost = Enumerable.Range(0, messages).Count(i => !perResident.ContainsKey($"soak-res-{i}"));
        var duplicated = perResident.Values.Sum(n => Math.Max(0, n - 1));
        var unsettled = requests.Count(r => !Settled.Contains(r.Status));
        var resent = accepted.Values.Count(n => n > 1);
        // A work order's key is "{request}:{option}:{what}" (":r{n}:" before {what} after a reopening); a cancellation
        // adds ":compensate". Two creation keys for one request and round would be a second work order.
        var doubleOrders = accepted.Keys
            .Where(k => k.StartsWith("work-orders|", StringComparison.Ordinal) && !k.EndsWith(":compensate", StringComparison.Ordinal))
            .Select(k => k["work-orders|".Length..].Split(':'))
            .GroupBy(parts => (Request: parts[0], Round: parts.Length > 3 ? parts[2] : "r0"))
            .Count(g => g.Count() > 1);
        File.WriteAllLines(Path.Combine(dir, "accepted-actions.txt"), accepted.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value} {a.Key}"));
        var statuses = string.Join(", ", requests.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));

        Console.WriteLine($"receivers: {calls} calls, {failed} answered 503 ({(calls == 0 ? 0 : 100.0 * failed / calls):0.0} %), {accepted.Count} actions accepted");
        Console.WriteLine($"requests: {requests.Count} for {messages} messages; {statuses}");
        Console.WriteLine($"RESULT soak messages={messages} deliveries={2 * messages} kills={kills} failureRate={failureRate} " +
            $"lost={lost} duplicated={duplicated} unsettled={unsettled + queueLeft + workflowsLeft} (requests {unsettled}, intake messages {queueLeft}, workflow instances {workflowsLeft}) " +
            $"double-executed={doubleOrders + resent} (same key accepted twice {resent}, second work order {doubleOrders}) settled-after={settledAt.TotalSeconds:0}s load=\"{LoadAverage()}\"");
        await hooks.StopAsync();
        return lost + duplicated + unsettled + queueLeft + workflowsLeft + doubleOrders + resent == 0 ? 0 : 1;
    }

        private static async Task<List<(string, string, string)>> AllAsync(HttpClient admin)
    {
        var result = new List<(string, string, string)>();
        string? token = null;
        do
        {
            var page = JsonNode.Parse(await admin.GetStringAsync("/api/v1/requests?building=soak-court&limit=100"
                + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))))!;
            foreach (var item in page["items"]!.AsArray())
            {
                result.Add((item!["id"]!.GetValue<string>(), item["residentId"]!.GetValue<string>(), item["status"]!.GetValue<string>()));
            }
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return result;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The single-node host as a child process in webhook mode.</summary>
    private sealed class HostProcess(string dir, int port, string hooks)
    {
        private Process? _process;

        public async Task StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
                     {
                         typeof(SingleNodeApp).Assembly.Location, "--urls", $"http://127.0.0.1:{port}", "--Storage:DataDirectory", dir,
                         "--Logging:LogLevel:Default", "Warning", "--Workflow:PollInterval", "00:00:00.500", "--Limits:Enabled", "false",
                         "--Execution:Mode", "Webhook", "--Execution:Webhook:SigningSecret", "soak-signing-secret-0123456789",
                         "--Execution:Webhook:WorkOrdersUrl", $"{hooks}/work-orders", "--Execution:Webhook:NotificationsUrl", $"{hooks}/notifications",
                         "--Execution:Webhook:LedgerUrl", $"{hooks}/ledger", "--Execution:Webhook:BaseDelayMilliseconds", "50",
                     })
            {
                start.ArgumentList.Add(arg);
            }
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; i < 600; i++)
            {
                try
                {
                    if ((await probe.GetAsync($"http://127.0.0.1:{port}/api/v1/health")).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(100);
            }
            throw new TimeoutException("The single-node host did not start within a minute.");
        }

        public void Kill()
        {
            _process!.Kill(entireProcessTree: true); // SIGKILL: no shutdown hooks, no flush
            _process.WaitForExit();
        }

        /// <summary>Queue messages not completed (ready, in flight or dead-lettered) and workflow instances pending or running.</summary>
        public (long Queue, long Workflows) Leftovers() =>
            (Count("queues.db", "SELECT COUNT(*) FROM queue_messages WHERE state <> 'completed'"),
             Count("requests.db", "SELECT COUNT(*) FROM wf_instances WHERE status IN ('pending', 'running')"));

        private long Count(string db, string sql)
        {
            try
            {
                using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, db)};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return (long)command.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                return -1;
            }
        }
    }
}
