using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Inference.Server;
using ApartmentManager.Inference.Server.Batching;
using ApartmentManager.Inference.Server.Hosting;
using ApartmentManager.Inference.Server.Models;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Inference.Tests;

public sealed partial class BatchingTests
{
    private static string ModelPath(string file) => Path.Combine(AppContext.BaseDirectory, "models", file);

    [Fact]
    public async Task Under_heavy_concurrency_each_caller_gets_exactly_its_own_rows_in_order()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Inference:Batching:MaxBatchSize"] = "32",
            ["Inference:Batching:MaxQueueDelayMilliseconds"] = "5",
        });
        var encoder = SharedSentenceEncoders.Default.Encoder;
        const int callers = 120;
        var requests = Enumerable.Range(0, callers).Select(c => Enumerable.Range(0, 1 + c % 3).Select(k => Samples.Text(c * 3 + k)).ToArray()).ToArray();

        using var gate = new SemaphoreSlim(0);
        var tasks = requests.Select(async texts =>
        {
            await gate.WaitAsync();
            var response = await server.Http.PostAsJsonAsync("v1/embeddings", new EmbeddingsRequest(texts), InferenceJson.Options);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<EmbeddingsResponse>(InferenceJson.Options))!;
        }).ToArray();
        gate.Release(callers);
        var answers = await Task.WhenAll(tasks);

        for (var c = 0; c < callers; c++)
        {
            Assert.Equal(requests[c].Length, answers[c].Embeddings.Count);
            for (var k = 0; k < requests[c].Length; k++)
            {
                ServerApiTests.AssertClose(encoder.Encode(requests[c][k]), answers[c].Embeddings[k]);
            }
        }
        // The rows really were coalesced: fewer session calls than requests.
        var metrics = await server.Http.GetStringAsync("metrics");
        // One batcher per token-length bucket (encoder-16, encoder-32, …); distinct texts, so the cache answers none.
        var batches = Count(metrics, "inference_batch_size_count", "encoder-");
        var rows = Sum(metrics, "inference_batch_size_sum", "encoder-");
        // At least every row (the HTTP client may resend a request whose connection dropped under the burst).
        Assert.True(rows >= requests.Sum(r => r.Length), $"{rows} rows batched");
        Assert.True(batches < callers, $"{batches} batches for {callers} requests");
    }

    [Fact]
    public async Task Classify_batches_keep_rows_apart_under_concurrency()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Inference:Batching:MaxQueueDelayMilliseconds"] = "5" });
        using var local = new LocalStage();
        var texts = Enumerable.Range(0, 120).Select(Samples.Text).ToArray();
        var answers = await Task.WhenAll(texts.Select(async t =>
        {
            var r = await server.Http.PostAsJsonAsync("v1/classify", new ClassifyRequest([t]), InferenceJson.Options);
            r.EnsureSuccessStatusCode();
            return (await r.Content.ReadFromJsonAsync<ClassifyResponse>(InferenceJson.Options))!.Results.Single();
        }));
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = (await local.Stage.ScoreAsync([texts[i]], CancellationToken.None))[0];
            ServerApiTests.AssertClose(expected.Output.CategoryProbabilities, answers[i].CategoryProbabilities);
            Assert.Equal(expected.Output.TopFeatures, answers[i].TopFeatures);
            Assert.Equal(expected.ModelVersion, answers[i].ModelVersion);
        }
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Inference:Batching:MaxBatchSize"] = "1",
            ["Inference:Batching:QueueCapacity"] = "1",
            ["Inference:Batching:RetryAfterSeconds"] = "2",
        });
        var texts = Enumerable.Range(0, 64).Select(Samples.Text).ToArray();
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 40).Select(async _ =>
        {
            await gate.WaitAsync();
            var response = await server.Http.PostAsJsonAsync("v1/classify", new ClassifyRequest(texts), InferenceJson.Options);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
        }).ToArray();
        gate.Release(40);
        var results = await Task.WhenAll(tasks);

        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.OK);
        var refused = results.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(TimeSpan.FromSeconds(2), r.Delta));
        Assert.All(refused, r => Assert.Equal("application/problem+json", r.MediaType));
        Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task Ready_only_after_every_model_is_loaded_and_warmed_up()
    {
        var gate = new HeldGate();
        await using var server = await RunningServer.StartAsync(gate: gate, waitUntilReady: false);
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Loaded and warmed, but not yet published: still not ready, and the API refuses with 503.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("healthz")).StatusCode);
        var ready = await server.Http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        var early = await server.Http.PostAsJsonAsync("v1/classify", new ClassifyRequest(["leak"]), InferenceJson.Options);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.NotNull(early.Headers.RetryAfter);
        Assert.False((await server.Http.GetFromJsonAsync<ModelsResponse>("v1/models", InferenceJson.Options))!.Ready);
        // Warm-up already ran through every model before the gate.
        var metrics = await server.Http.GetStringAsync("metrics");
        foreach (var model in new[] { "text-classifier", "risk-model", "encoder" })
        {
            Assert.True(Sum(metrics, "inference_warmup_runs_total", model) >= 1, model);
        }

        gate.Release.SetResult();
        await server.WaitReadyAsync();
        var models = (await server.Http.GetFromJsonAsync<ModelsResponse>("v1/models", InferenceJson.Options))!;
        Assert.True(models.Ready);
        Assert.Equal(3, models.Models.Count);
        Assert.All(models.Models, m => Assert.True(m.WarmedUp));
        (await server.Http.PostAsJsonAsync("v1/classify", new ClassifyRequest(["leak"]), InferenceJson.Options)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_missing_model_keeps_the_server_live_but_never_ready()
    {
        var empty = Directory.CreateTempSubdirectory("no-models-").FullName;
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Inference:ModelDirectory"] = empty }, waitUntilReady: false);
        await Task.Delay(300);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("healthz")).StatusCode);
        var ready = await server.Http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("not found", await ready.Content.ReadAsStringAsync());
        Directory.Delete(empty);
    }

    [Fact]
    public async Task A_cancelled_caller_leaves_its_batch_without_poisoning_it()
    {
        using var model = new EncoderModel(SharedSentenceEncoders.Default.Encoder);
        using var meters = new TestMeterFactory();
        using var metrics = new InferenceMetrics(meters);
        var ran = new List<int>();
        var released = 0;
        var batching = new BatchingOptions { MaxBatchSize = 16, MaxQueueDelayMilliseconds = 20 };
        var batcher = new DynamicBatcher<EncoderTokens, float[]>("encoder", rows =>
        {
            lock (ran)
            {
                ran.Add(rows.Count);
            }
            return model.RunBatch(rows);
        }, batching, metrics, NullLogger.Instance, _ => Interlocked.Increment(ref released));

        var random = new Random(7);
        var calls = Enumerable.Range(0, 200).Select(i =>
        {
            var texts = new[] { Samples.Text(i), Samples.Text(i + 1000) };
            var cts = new CancellationTokenSource();
            var kind = i % 4; // 0: cancelled before submit, 1: cancelled while queued or running, 2-3: never cancelled
            if (kind == 0)
            {
                cts.Cancel();
            }
            else if (kind == 1)
            {
                cts.CancelAfter(random.Next(0, 15));
            }
            Task<float[][]> task;
            try
            {
                task = batcher.SubmitAsync(texts.Select(model.Prepare).ToArray(), cts.Token);
            }
            catch (OperationCanceledException ex)
            {
                task = Task.FromCanceled<float[][]>(ex.CancellationToken);
            }
            return (texts, kind, task, cts);
        }).ToList();

        foreach (var (texts, kind, task, cts) in calls)
        {
            if (kind >= 2)
            {
                var answer = await task;
                Assert.Equal(2, answer.Length);
                ServerApiTests.AssertClose(model.Run([texts[0]])[0], answer[0]);
                ServerApiTests.AssertClose(model.Run([texts[1]])[0], answer[1]);
            }
            else
            {
                // Either it finished before the cancel landed (then it must be right) or it reports cancellation.
                try
                {
                    var answer = await task;
                    ServerApiTests.AssertClose(model.Run([texts[0]])[0], answer[0]);
                }
                catch (OperationCanceledException)
                {
                }
            }
            cts.Dispose();
        }
        Assert.True(calls.Where(c => c.kind == 0).All(c => c.task.IsCanceled));
        await batcher.DisposeAsync();
        // Every row handed to the batcher was released exactly once, cancelled or not.
        Assert.Equal(2 * calls.Count, Volatile.Read(ref released));
        Assert.All(ran, n => Assert.InRange(n, 1, 16));
        // Callers cancelled before submitting never reached a session call.
        Assert.True(ran.Sum() <= 2 * calls.Count(c => c.kind != 0));
    }

    [Fact]
    public async Task Batchers_sharing_session_calls_never_run_more_at_once_and_each_caller_gets_its_own_rows()
    {
        using var meters = new TestMeterFactory();
        using var metrics = new InferenceMetrics(meters);
        using var calls = new SemaphoreSlim(1, 1);
        var running = 0;
        var most = 0;
        int[] Run(IReadOnlyList<int> rows)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(2);
            Interlocked.Decrement(ref running);
            return rows.Select(r => r * 10).ToArray();
        }
        var batching = new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMilliseconds = 1 };
        var batchers = Enumerable.Range(0, 3)
            .Select(b => new DynamicBatcher<int, int>($"bucket-{b}", Run, batching, metrics, NullLogger.Instance, sharedSlots: calls)).ToArray();
        var tasks = Enumerable.Range(0, 300).Select(i => Task.Run(() => batchers[i % 3].SubmitAsync([i, i + 1000], CancellationToken.None))).ToArray();
        var answers = await Task.WhenAll(tasks);
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal([i * 10, (i + 1000) * 10], answers[i]);
        }
        Assert.Equal(1, most);
        foreach (var batcher in batchers)
        {
            await batcher.DisposeAsync();
        }
        // The shared slots belong to the caller: still usable after the batchers are gone.
        Assert.True(calls.Wait(0));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class HeldGate : IReadinessGate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Reached.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }
    }

    private static double Count(string metrics, string name, string model) => Sum(metrics, name, model);

    private static double Sum(string metrics, string name, string model)
    {
        var total = 0.0;
        foreach (Match m in MetricLine().Matches(metrics))
        {
            if (m.Groups["name"].Value == name && (m.Groups["labels"].Value.Contains($"model=\"{model}\"", StringComparison.Ordinal) || (model.EndsWith('-') && m.Groups["labels"].Value.Contains($"model=\"{model}", StringComparison.Ordinal))))
            {
                total += double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}

internal sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
