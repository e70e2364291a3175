using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ApartmentManager.Execution.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// Domain events, webhook subscriptions, audit and privacy through the real single-node host over HTTP, with a real
/// loopback receiver that verifies nothing itself: it records what arrived, and the tests check signatures with the
/// same <see cref="WebhookSignature.Verify"/> a subscriber would use.
/// </summary>
public sealed class PlatformEndToEndTests : IAsyncLifetime
{
    private SingleNodeHost _host = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _host = await SingleNodeHost.StartAsync(null,
            "--Webhooks:PollInterval", "00:00:00.050", "--Webhooks:BaseDelay", "00:00:00.050", "--Webhooks:MaxDelay", "00:00:00.200",
            "--Webhooks:MaxAttempts", "3", "--Workflow:PollInterval", "00:00:00.100");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Events_reach_subscribers_signed_and_sequenced_with_stable_ids_and_failures_dead_letter_then_redeliver()
    {
        using var admin = _host.Admin();
        var ok = await (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url = _receiver.Url("ok"), events = new[] { "request.*" } }))).ReadAsync();
        var secret = ok["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        var failing = await (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url = _receiver.Url("flaky"), events = new[] { "request.created" } }))).ReadAsync();
        var failingId = failing["id"]!.GetValue<string>();

        // The secret is shown once: listings and reads never carry it.
        var list = await (await admin.GetAsync("/api/v1/admin/webhooks")).ReadAsync();
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.All(list["items"]!.AsArray(), s => Assert.Null(s!["secret"]));

        using var resident = _host.Client("resident-events");
        var requestId = await resident.CreateIdAsync();

        // The pipeline's status changes arrive as events, each signed with the subscription's secret.
        var arrived = await _receiver.WaitForAsync("ok", calls => calls.Any(c => c.Type == "request.decided"));
        foreach (var call in arrived)
        {
            Assert.True(WebhookSignature.Verify(secret, call.Timestamp, call.Signature, call.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
                $"signature of {call.Type} does not verify");
            Assert.False(WebhookSignature.Verify(secret + "x", call.Timestamp, call.Signature, call.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.Equal(call.EventId, call.Json["id"]!.GetValue<string>());
            Assert.Equal(requestId, call.Json["requestId"]!.GetValue<string>());
        }
        // Deliveries run concurrently and retry independently, so arrival order is not promised; each event carries its
        // sequence (the request's history position) for the receiver to order by.
        var mine = arrived.Where(c => c.Json["requestId"]!.GetValue<string>() == requestId).Select(c => c.Json)
            .OrderBy(e => e["sequence"]!.GetValue<int>()).ToList();
        var types = mine.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal("request.created", types[0]);
        Assert.Equal(["request.created", "request.classified", "request.risk_assessed", "request.options_simulated", "request.decided"],
            types.Where(t => t is "request.created" or "request.classified" or "request.risk_assessed" or "request.options_simulated" or "request.decided"));
        Assert.Equal(mine.Count, mine.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        var sequences = mine.Select(e => e["sequence"]!.GetValue<int>()).ToList();
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal("classified", mine.First(e => e["type"]!.GetValue<string>() == "request.classified")["status"]!.GetValue<string>());

        // The failing receiver answers 503: three attempts, then the delivery is dead-lettered.
        var dead = await WaitForDeliveryAsync(admin, failingId, "dead_lettered");
        Assert.Equal(3, dead["attempts"]!.GetValue<int>());
        Assert.Equal(503, dead["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(3, _receiver.Calls("flaky").Count);

        // Redelivered after the receiver recovers: the same event id arrives again and succeeds.
        _receiver.Heal("flaky");
        var deliveryId = dead["id"]!.GetValue<string>();
        var redeliver = await admin.PostAsync($"/api/v1/admin/webhooks/{failingId}/deliveries/{deliveryId}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var delivered = await WaitForDeliveryAsync(admin, failingId, "succeeded");
        Assert.Equal(deliveryId, delivered["id"]!.GetValue<string>());
        var flakyCalls = _receiver.Calls("flaky");
        Assert.Equal(4, flakyCalls.Count);
        Assert.Single(flakyCalls.Select(c => c.EventId).Distinct());
        Assert.Equal(RequestEventId(requestId, 0), flakyCalls[0].EventId);

        // Every change above is in the audit trail, with the call's correlation id.
        var audit = await (await admin.GetAsync("/api/v1/admin/audit?action=webhook.created")).ReadAsync();
        Assert.Equal(2, audit["items"]!.AsArray().Count);
        Assert.All(audit["items"]!.AsArray(), e => Assert.Equal("admin:manager-1", e!["actor"]!.GetValue<string>()));
        var redelivered = await (await admin.GetAsync($"/api/v1/admin/audit?action=webhook.redelivered&targetId={deliveryId}")).ReadAsync();
        Assert.Single(redelivered["items"]!.AsArray());

        // Deleting stops the subscription; residents cannot touch any of it.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/webhooks/{failingId}")).StatusCode);
        await (await admin.GetAsync($"/api/v1/admin/webhooks/{failingId}")).AssertProblemAsync(404);
        await (await resident.GetAsync("/api/v1/admin/webhooks")).AssertProblemAsync(403);
        await (await resident.GetAsync("/api/v1/admin/audit")).AssertProblemAsync(403);
    }

    [Fact]
    public async Task Bad_subscriptions_and_audit_queries_are_refused_with_problem_details()
    {
        using var admin = _host.Admin();
        var bad = await (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url = "http://example.com/hook", events = new[] { "request.decided" } })))
            .AssertProblemAsync(400);
        Assert.NotNull(bad["errors"]!["url"]);
        var noEvents = await (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url = _receiver.Url("ok"), events = new[] { "DROP TABLE" } })))
            .AssertProblemAsync(400);
        Assert.NotNull(noEvents["errors"]!["events"]);
        await (await admin.GetAsync("/api/v1/admin/audit?limit=0")).AssertProblemAsync(400);
        await (await admin.GetAsync("/api/v1/admin/audit?continuationToken=abc")).AssertProblemAsync(400);
        await (await admin.GetAsync("/api/v1/admin/webhooks/nope/deliveries")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Audit_pages_newest_first_and_filters()
    {
        using var admin = _host.Admin();
        for (var i = 0; i < 3; i++)
        {
            var created = await (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url = _receiver.Url("ok"), events = new[] { "*" } }))).ReadAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/webhooks/{created["id"]}")).StatusCode);
        }
        var first = await (await admin.GetAsync("/api/v1/admin/audit?targetType=webhook&limit=4")).ReadAsync();
        Assert.Equal(4, first["items"]!.AsArray().Count);
        Assert.Equal("webhook.deleted", first["items"]![0]!["action"]!.GetValue<string>());
        var token = first["continuationToken"]!.GetValue<string>();
        var second = await (await admin.GetAsync($"/api/v1/admin/audit?targetType=webhook&limit=4&continuationToken={token}")).ReadAsync();
        Assert.Equal(2, second["items"]!.AsArray().Count);
        Assert.Null(second["continuationToken"]);
        var correlated = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/webhooks")
        {
            Content = Json.Body(new { url = _receiver.Url("ok"), events = new[] { "request.resolved" } }),
        };
        correlated.Headers.Add("x-correlation-id", "audit-corr-1");
        var made = await (await admin.SendAsync(correlated)).ReadAsync();
        var entry = (await (await admin.GetAsync($"/api/v1/admin/audit?targetId={made["id"]}")).ReadAsync())["items"]![0]!;
        Assert.Equal("audit-corr-1", entry["correlationId"]!.GetValue<string>());
        Assert.Null(entry["before"]);
        Assert.Contains("request.resolved", entry["after"]!.GetValue<string>());
    }

    [Fact]
    public async Task Export_returns_everything_held_and_erasure_pseudonymises_it_once()
    {
        using var admin = _host.Admin();
        using var resident = _host.Client("resident-privacy");
        using var stranger = _host.Client("resident-stranger");
        // The resident's directory entry (name, phone, e-mail) is personal data like the rest.
        (await admin.PutAsync("/api/v1/residents/resident-privacy",
            Json.Body(new { building = "maple-court", unit = "4B", name = "Ana Diaz", phone = "+1 555 0100", email = "ana@example.com" }))).EnsureSuccessStatusCode();
        // An emergency is dispatched at once: executions.db then holds the resident's notification (what erasure must reach).
        const string Message = "Water is pouring from under my kitchen sink";
        var requestId = (await (await resident.CreateAsync(Message)).ReadAsync())["id"]!.GetValue<string>();
        await WaitForStatusAsync(resident, requestId);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (CountInExecutions("resident-privacy") == 0
                || (await (await resident.GetAsync($"/api/v1/requests/{requestId}")).ReadAsync())["executions"]!.AsArray().Count == 0)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        var export = await (await resident.GetAsync("/api/v1/residents/resident-privacy/export")).ReadAsync();
        Assert.Equal("resident-privacy", export["residentId"]!.GetValue<string>());
        var exported = Assert.Single(export["requests"]!.AsArray())!;
        Assert.Equal(Message, exported["message"]!.GetValue<string>());
        Assert.NotEmpty(export["executions"]!.AsArray());
        Assert.NotEmpty(exported["history"]!.AsArray());
        Assert.Contains(export["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "request.created");
        Assert.Equal("Ana Diaz", export["directory"]!["name"]!.GetValue<string>());
        Assert.Equal("ana@example.com", export["directory"]!["email"]!.GetValue<string>());
        await (await stranger.GetAsync("/api/v1/residents/resident-privacy/export")).AssertProblemAsync(404);
        await (await resident.DeleteAsync("/api/v1/residents/resident-privacy")).AssertProblemAsync(403);

        var erased = await (await admin.DeleteAsync("/api/v1/residents/resident-privacy")).ReadAsync();
        Assert.False(erased["nothingHeld"]!.GetValue<bool>());
        var pseudonym = erased["pseudonym"]!.GetValue<string>();
        Assert.StartsWith("erased-", pseudonym);
        Assert.Equal(1, erased["recordsErased"]!["directory"]!.GetValue<int>());
        await (await admin.GetAsync("/api/v1/residents/resident-privacy")).AssertProblemAsync(404);

        // The audit trail no longer names the resident (their own export's entry included).
        Assert.DoesNotContain("resident-privacy", (await (await admin.GetAsync("/api/v1/admin/audit?limit=100")).ReadAsync()).ToJsonString(), StringComparison.Ordinal);

        // Nothing is found under the resident's id any more; the request lives on without personal fields.
        var after = await (await admin.GetAsync("/api/v1/residents/resident-privacy/export")).ReadAsync();
        Assert.Empty(after["requests"]!.AsArray());
        Assert.Empty(after["events"]!.AsArray());
        Assert.Null(after["directory"]);
        var request = await (await admin.GetAsync($"/api/v1/requests/{requestId}")).ReadAsync();
        Assert.Equal(pseudonym, request["residentId"]!.GetValue<string>());
        Assert.Equal("[erased]", request["message"]!.GetValue<string>());
        Assert.Equal("[erased]", request["unit"]!.GetValue<string>());
        Assert.Equal("maple-court", request["building"]!.GetValue<string>());
        Assert.NotNull(request["classification"]!["category"]);
        Assert.DoesNotContain("resident-privacy", request.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kitchen sink", request.ToJsonString(), StringComparison.Ordinal);
        var pseudonymised = await (await admin.GetAsync($"/api/v1/residents/{pseudonym}/export")).ReadAsync();
        Assert.NotEmpty(pseudonymised["events"]!.AsArray());
        Assert.DoesNotContain("resident-privacy", pseudonymised.ToJsonString(), StringComparison.Ordinal);
        await (await resident.GetAsync($"/api/v1/requests/{requestId}")).AssertProblemAsync(404);
        Assert.Equal(0L, CountInExecutions("resident-privacy"));

        // Idempotent: a second erasure finds nothing. Both the export and the erasure are audited.
        var again = await (await admin.DeleteAsync("/api/v1/residents/resident-privacy")).ReadAsync();
        Assert.True(again["nothingHeld"]!.GetValue<bool>());
        var audit = await (await admin.GetAsync("/api/v1/admin/audit?action=resident.erased")).ReadAsync();
        var entry = Assert.Single(audit["items"]!.AsArray())!;
        Assert.Equal(pseudonym, entry["targetId"]!.GetValue<string>());
        Assert.NotEmpty((await (await admin.GetAsync("/api/v1/admin/audit?action=resident.exported")).ReadAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Erasure_of_a_resident_with_only_a_directory_entry_removes_the_entry()
    {
        using var admin = _host.Admin();
        (await admin.PutAsync("/api/v1/residents/resident-listed-only",
            Json.Body(new { building = "maple-court", unit = "7C", name = "Bo Lee" }))).EnsureSuccessStatusCode();
        var erased = await (await admin.DeleteAsync("/api/v1/residents/resident-listed-only")).ReadAsync();
        Assert.False(erased["nothingHeld"]!.GetValue<bool>());
        Assert.Equal(1, erased["recordsErased"]!["directory"]!.GetValue<int>());
        await (await admin.GetAsync("/api/v1/residents/resident-listed-only")).AssertProblemAsync(404);
        Assert.True((await (await admin.DeleteAsync("/api/v1/residents/resident-listed-only")).ReadAsync())["nothingHeld"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Erasure_cancels_open_requests_first()
    {
        await using var held = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none");
        using var admin = held.Admin();
        using var resident = held.Client("resident-open");
        var requestId = await resident.CreateIdAsync();
        var erased = await (await admin.DeleteAsync("/api/v1/residents/resident-open")).ReadAsync();
        Assert.Equal(1, erased["requestsCancelled"]!.GetValue<int>());
        var request = await (await admin.GetAsync($"/api/v1/requests/{requestId}")).ReadAsync();
        Assert.Equal("cancelled", request["status"]!.GetValue<string>());
        var events = await (await admin.GetAsync($"/api/v1/residents/{erased["pseudonym"]}/export")).ReadAsync();
        Assert.Equal(["request.created", "request.cancelled"], events["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
    }

    /// <summary>Rows of executions.db (action payloads, ledger) that still mention <paramref name="text"/>.</summary>
    private long CountInExecutions(string text)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "executions.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT (SELECT COUNT(*) FROM executions WHERE payload LIKE $like) + (SELECT COUNT(*) FROM notifications WHERE payload LIKE $like)
                 + (SELECT COUNT(*) FROM work_orders WHERE payload LIKE $like) + (SELECT COUNT(*) FROM ledger_entries WHERE resident_id = $text)
            """;
        count.Parameters.AddWithValue("$like", $"%{text}%");
        count.Parameters.AddWithValue("$text", text);
        return (long)count.ExecuteScalar()!;
    }

    private static string RequestEventId(string requestId, int sequence) => $"{requestId}.{sequence}";

    private static async Task<string> WaitForStatusAsync(HttpClient client, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!timeout.IsCancellationRequested)
        {
            var status = (await (await client.GetAsync($"/api/v1/requests/{id}")).ReadAsync())["status"]!.GetValue<string>();
            if (status is "awaiting_resident_choice" or "awaiting_manager_approval" or "resolved" or "escalated" or "executing" or "in_progress")
            {
                return status;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Request {id} did not settle.");
    }

    private static async Task<JsonNode> WaitForDeliveryAsync(HttpClient admin, string subscriptionId, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!timeout.IsCancellationRequested)
        {
            var page = await (await admin.GetAsync($"/api/v1/admin/webhooks/{subscriptionId}/deliveries?status={status}")).ReadAsync();
            if (page["items"]!.AsArray().FirstOrDefault() is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No delivery of {subscriptionId} became '{status}'.");
    }

    /// <summary>A subscriber on 127.0.0.1: records every POST; a path marked flaky answers 503 until healed.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<Call>> _calls = new();
        private readonly ConcurrentDictionary<string, bool> _healed = new();

        private Receiver(WebApplication app) => _app = app;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/{name}", async (string name, HttpRequest request) =>
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                var body = buffer.ToArray();
                receiver._calls.GetOrAdd(name, _ => new()).Enqueue(new Call(
                    request.Headers[WebhookSignature.TimestampHeader].ToString(), request.Headers[WebhookSignature.SignatureHeader].ToString(),
                    request.Headers["X-Event-Id"].ToString(), request.Headers["X-Event-Type"].ToString(), body, JsonNode.Parse(body)!));
                return name == "flaky" && !receiver._healed.ContainsKey(name) ? Results.StatusCode(503) : Results.NoContent();
            });
            await app.StartAsync();
            return receiver;
        }

        public string Url(string name) =>
            new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), name).ToString();

        public void Heal(string name) => _healed[name] = true;

        public List<Call> Calls(string name) => _calls.TryGetValue(name, out var q) ? [.. q] : [];

        public async Task<List<Call>> WaitForAsync(string name, Func<List<Call>, bool> done)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!timeout.IsCancellationRequested)
            {
                var calls = Calls(name);
                if (done(calls))
                {
                    return calls;
                }
                await Task.Delay(50);
            }
            throw new TimeoutException($"The receiver's '{name}' path got {Calls(name).Count} call(s), not what was awaited.");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Call(string Timestamp, string Signature, string EventId, string Type, byte[] Body, JsonNode Json);
}
