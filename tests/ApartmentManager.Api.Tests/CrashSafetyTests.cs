using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using ApartmentManager.SingleNode;
using ApartmentManager.SingleNode.Security;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// The single-node host as a child process, killed with SIGKILL at random moments while 200 requests go through
/// the pipeline, and restarted each time. Nothing may be lost, nothing executed twice, nothing left mid-pipeline.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Requests = 200;
    private const int Kills = 5;
    private static readonly string[] Settled =
        ["awaiting_resident_choice", "awaiting_manager_approval", "awaiting_resident_info", "in_progress", "awaiting_confirmation",
         "resolved", "escalated", "cancelled", "failed"];

    private readonly string _dir = Directory.CreateTempSubdirectory("am-crash-").FullName;
    private readonly int _port = FreePort();
    private Process? _host;

    [Fact]
    public async Task Killing_the_host_five_times_loses_no_request_and_repeats_no_action()
    {
        var clock = Stopwatch.StartNew();
        var issuer = new DevTokenIssuer(SigningKeyFile.LoadOrCreate(_dir), new DevAuthOptions(), TimeProvider.System);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(20) };
        await StartHostAsync();

        var random = new Random(20261122);
        var messages = new[]
        {
            "Water is pouring from under my kitchen sink", "The heat is not working and it is freezing",
            "My rent charge is wrong this month", "Loud music from the unit above every night",
            "The dishwasher does not drain", "I see mice in the kitchen", "The front door lock is broken",
            "Package was stolen from the lobby", "Hallway light flickers", "The garage gate will not open",
        };
        var submitted = 0;
        var killer = Task.Run(async () =>
        {
            for (var k = 0; k < Kills; k++)
            {
                await Task.Delay(random.Next(400, 1600));
                _host!.Kill(entireProcessTree: true); // SIGKILL: no shutdown hooks, no flush
                await _host.WaitForExitAsync();
                output.WriteLine($"kill {k + 1} at {clock.Elapsed.TotalSeconds:0.0}s after {Volatile.Read(ref submitted)} accepted");
                await StartHostAsync();
            }
        });

        // Eight residents submit concurrently, each retrying through crashes with the same Idempotency-Key.
        var ids = new string[Requests];
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var resident = $"crash-res-{i % 8}";
            var token = issuer.Mint(resident, "resident");
            while (true)
            {
                try
                {
                    using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/requests")
                    {
                        Content = Json.Body(new { building = "crash-court", unit = $"{i % 20}A", message = messages[i % messages.Length] }),
                    };
                    post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    post.Headers.Add("Idempotency-Key", $"crash-{i}");
                    var response = await client.SendAsync(post, ct);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        ids[i] = (await response.ReadAsync())["id"]!.GetValue<string>();
                        Interlocked.Increment(ref submitted);
                        return;
                    }
                    Assert.True((int)response.StatusCode < 500 || (int)response.StatusCode == 503, $"create answered {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The host is down (killed); try again shortly, as any client would.
                }
                await Task.Delay(100, ct);
            }
        });
        await killer;
        output.WriteLine($"all {Requests} accepted after {clock.Elapsed.TotalSeconds:0.0}s; waiting for the pipeline to settle");

        // Every request reaches a settled state (done, or waiting for a person) after the last restart.
        using var admin = new HttpClient { BaseAddress = client.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint("crash-admin", "admin"));
        var statuses = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            statuses = await AllStatusesAsync(admin);
            if (statuses.Count >= Requests && statuses.Values.All(Settled.Contains))
            {
                break;
            }
            await Task.Delay(500);
        }

        output.WriteLine($"settled after {clock.Elapsed.TotalSeconds:0.0}s: " +
            string.Join(", ", statuses.Values.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}")));
        Assert.Equal(Requests, ids.Distinct().Count());
        Assert.Equal(Requests, statuses.Count); // none lost, none duplicated
        Assert.All(ids, id => Assert.True(statuses.ContainsKey(id), $"request {id} is missing"));
        Assert.All(statuses, s => Assert.Contains(s.Value, Settled));

        // No side effect happened twice: at most one work order per request, and no notification sent twice.
        _host!.Kill(entireProcessTree: true);
        await _host.WaitForExitAsync();
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "executions.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        var doubledOrders = Scalar(db, "SELECT COUNT(*) FROM (SELECT request_id FROM work_orders GROUP BY request_id HAVING COUNT(*) > 1)");
        var doubledNotices = Scalar(db, "SELECT COUNT(*) FROM (SELECT request_id, payload FROM notifications GROUP BY request_id, payload HAVING COUNT(*) > 1)");
        var orders = Scalar(db, "SELECT COUNT(*) FROM work_orders");
        var notices = Scalar(db, "SELECT COUNT(*) FROM notifications");
        output.WriteLine($"side effects: {orders} work orders, {notices} notifications; duplicated: {doubledOrders} / {doubledNotices}");
        Assert.Equal(0, doubledOrders);
        Assert.Equal(0, doubledNotices);
        Assert.True(orders > 0, "some requests must have been carried out");
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<Dictionary<string, string>> AllStatusesAsync(HttpClient admin)
    {
        var result = new Dictionary<string, string>();
        string? token = null;
        do
        {
            var url = "/api/v1/requests?building=crash-court&limit=100" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await admin.GetAsync(url)).ReadAsync();
            foreach (var item in page["items"]!.AsArray())
            {
                result[item!["id"]!.GetValue<string>()] = item["status"]!.GetValue<string>();
            }
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return result;
    }

    private async Task StartHostAsync()
    {
        var dll = typeof(SingleNodeApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{_port}", "--Storage:DataDirectory", _dir,
                     "--Logging:LogLevel:Default", "Warning", "--Workflow:PollInterval", "00:00:00.200" })
        {
            start.ArgumentList.Add(arg);
        }
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, _) => { };
        _host.ErrorDataReceived += (_, _) => { };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{_port}/api/v1/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The single-node host did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (_host is { HasExited: false })
            {
                _host.Kill(entireProcessTree: true);
                _host.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
