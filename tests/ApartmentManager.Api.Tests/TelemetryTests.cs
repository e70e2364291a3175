using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ApartmentManager.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// The whole pipeline in single-node mode with an in-memory trace exporter: one request is one trace, from the HTTP
/// request (or the queue message) through every workflow step and the gateways; /metrics serves the metrics.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly LockedCollection<Activity> _spans = new();
    private SingleNodeHost _host = null!;

    public async Task InitializeAsync() => _host = await SingleNodeHost.StartCustomizedAsync(
        builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans)),
        dataDirectory: null, "--Workflow:PollInterval", "00:00:00.100");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task One_request_is_one_trace_with_a_span_per_step_and_per_gateway_action()
    {
        using var resident = _host.Client("res-trace-1");
        var created = await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building = "maple-court", unit = "4B", message = "water is pouring from under my kitchen sink" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadAsync())["id"]!.GetValue<string>();
        // Dispatched work leaves the request in progress until the maintenance system reports it done.
        await WaitForStatusAsync(resident, id, "in_progress");
        using var admin = _host.Admin();
        var dispatched = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();

        // The workflow's run continues the trace of the HTTP request that created the request.
        var run = await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.DisplayName == "workflow run" && Equals(s.GetTagItem("am.request.id"), id)));
        var traceId = run.TraceId;
        var spans = await EventuallyAsync(() =>
        {
            var all = Snapshot().Where(s => s.TraceId == traceId).ToList();
            return all.Any(s => s.DisplayName == "step TrackWork") ? all : null;
        });
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST /api/v1/requests", StringComparison.Ordinal));
        Assert.Equal(server.SpanId, run.ParentSpanId);
        // The client's span is the server's parent: the W3C traceparent header went over the wire.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.SpanId == server.ParentSpanId);

        // Every span that concerns this request is in that one trace.
        Assert.All(Snapshot().Where(s => Equals(s.GetTagItem("am.request.id"), id)), s => Assert.Equal(traceId, s.TraceId));
        foreach (var step in new[] { "Classify", "AskQuestion", "PredictRisk", "Simulate", "Decide", "Execute", "TrackWork" })
        {
            var stepSpan = Assert.Single(spans, s => s.DisplayName == "step " + step);
            Assert.Equal(TelemetryNames.Workflow, stepSpan.Source.Name);
            Assert.Equal(step, stepSpan.GetTagItem("am.workflow.step"));
            Assert.Equal(run.SpanId, stepSpan.ParentSpanId);
        }
        // One gateway span per action the request records, under the step that carried it out.
        Assert.Equal(dispatched["executions"]!.AsArray().Count, spans.Count(s => s.Source.Name == TelemetryNames.Gateways));
        var workOrder = Assert.Single(spans, s => s.DisplayName == "gateway create_work_order");
        Assert.Equal(spans.Single(s => s.DisplayName == "step Execute").SpanId, workOrder.ParentSpanId);
    }

    [Fact]
    public async Task A_queued_message_carries_its_trace_to_the_consumer_and_the_workflow()
    {
        using var admin = _host.Admin();
        var resident = "res-trace-q-" + Guid.NewGuid().ToString("N")[..6];
        var messageId = "sms-" + Guid.NewGuid().ToString("N");
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake")
        {
            Content = Json.Body(new { residentId = resident, building = "maple-court", unit = "2C", message = "No hot water since this morning", channel = "sms" }),
        };
        post.Headers.Add("Idempotency-Key", messageId);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.SendAsync(post)).StatusCode);

        var process = await EventuallyAsync(() => Snapshot().FirstOrDefault(s =>
            s.DisplayName == "process requests-intake" && Equals(s.GetTagItem("messaging.message.id"), messageId)));
        var spans = await EventuallyAsync(() =>
        {
            // The run's span ends (and is exported) only when the run stops at its first wait, after its last step.
            var all = Snapshot().Where(s => s.TraceId == process.TraceId).ToList();
            return all.Any(s => s.DisplayName == "step Classify") && all.Any(s => s.DisplayName == "workflow run") ? all : null;
        });
        var send = Assert.Single(spans, s => s.Kind == ActivityKind.Producer && s.DisplayName == "send requests-intake");
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        // Producer under the HTTP request that enqueued; the workflow under the consumer that created the request.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.SpanId == send.ParentSpanId);
        Assert.Equal(process.SpanId, spans.Single(s => s.DisplayName == "workflow run").ParentSpanId);
        Assert.Single(spans, s => s.DisplayName == "step Classify");
    }

    [Fact]
    public async Task A_webhook_delivery_carries_the_trace_recorded_when_its_event_was_created()
    {
        // A subscriber on 127.0.0.1 that keeps each delivery's traceparent header and body.
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string TraceParent, JsonNode Body)>();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            received.Enqueue((request.Headers.TraceParent.ToString(), (await JsonNode.ParseAsync(request.Body))!));
            return Microsoft.AspNetCore.Http.Results.NoContent();
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First() + "/hook";

        using var admin = _host.Admin();
        (await admin.PostAsync("/api/v1/admin/webhooks", Json.Body(new { url, events = new[] { "request.created" } }))).EnsureSuccessStatusCode();
        using var resident = _host.Client("res-trace-hook");
        var id = await resident.CreateIdAsync();

        var delivery = await EventuallyAsync(() => received.Where(r => r.Body["requestId"]?.GetValue<string>() == id)
            .Select(r => Tuple.Create(r.TraceParent, r.Body)).FirstOrDefault());
        var (traceParent, body) = delivery;
        Assert.True(ActivityContext.TryParse(traceParent, null, out var context), traceParent);
        Assert.StartsWith($"00-{context.TraceId}-", body["traceParent"]!.GetValue<string>(), StringComparison.Ordinal);
        // The receiver's trace is the trace of the HTTP request that created the request (the event's cause) ...
        Assert.Single(Snapshot(), s => s.Kind == ActivityKind.Server && s.TraceId == context.TraceId
            && s.DisplayName.StartsWith("POST /api/v1/requests", StringComparison.Ordinal));
        // ... and the delivery has its own span in that trace, the receiver's parent.
        var span = await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.DisplayName == "webhook request.created" && s.TraceId == context.TraceId));
        Assert.Equal(TelemetryNames.Gateways, span.Source.Name);
        // The header names the HTTP client's span of that attempt, a child of the delivery's span.
        var client = await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.SpanId == context.SpanId));
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal(span.SpanId, client.ParentSpanId);
        // (The receiver runs in this process, so its own server span is exported too: a child of that client span.)
        await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.Kind == ActivityKind.Server && s.ParentSpanId == client.SpanId));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_format()
    {
        using var resident = _host.Client("res-trace-metrics");
        var id = await resident.CreateIdAsync();
        await WaitForStatusAsync(resident, id, "resolved", "awaiting_resident_choice", "awaiting_manager_approval", "escalated");

        using var anonymous = _host.Client();
        var text = await EventuallyAsync(async () =>
        {
            var body = await anonymous.GetStringAsync("/metrics");
            return body.Contains("am_decisions_total", StringComparison.Ordinal) ? body : null;
        });
        Assert.Contains("am_workflow_step_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("step=\"Simulate\"", text, StringComparison.Ordinal);
        Assert.Contains("am_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    private List<Activity> Snapshot() => _spans.Snapshot();

    private async Task<JsonNode> WaitForStatusAsync(HttpClient client, string id, params string[] statuses) =>
        await EventuallyAsync(async () =>
        {
            var request = await (await client.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
            return statuses.Contains(request["status"]!.GetValue<string>()) ? request : null;
        });

    private Task<T> EventuallyAsync<T>(Func<T?> probe) where T : class => EventuallyAsync(() => Task.FromResult(probe()));

    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException(string.Join("\n", Snapshot().Select(s => $"{s.TraceId} {s.ParentSpanId} {s.SpanId} {s.Source.Name} {s.DisplayName}")));
            }
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }
}

/// <summary>What the in-memory exporter writes into: spans end on many threads while the test reads.</summary>
internal sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public List<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item) => Snapshot().Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
