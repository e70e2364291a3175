using ApartmentManager.Adapters.Inference;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Knowledge;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Inference.Tests;

/// <summary>The client's retries, breaker and fallback against a real loopback server that fails, stalls and returns garbage.</summary>
public sealed class InferenceClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private ChaosServer _chaos = null!;

    public async Task InitializeAsync() => _chaos = await ChaosServer.StartAsync(fixture.Server.Address);

    public async Task DisposeAsync() => await _chaos.DisposeAsync();

    private ServiceProvider Build(IDictionary<string, string?>? extra = null, bool remote = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:Mode"] = remote ? "remote" : "inprocess",
            ["Inference:BaseUrl"] = _chaos.Address.ToString(),
            ["Inference:AttemptTimeoutSeconds"] = "2",
            ["Inference:TotalTimeoutSeconds"] = "6",
            ["Inference:RetryDelaySeconds"] = "0.01",
            ["Inference:MaxRetries"] = "2",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error));
        services.AddIntelligence(configuration);
        services.AddKnowledge(configuration);
        services.AddRemoteInference(configuration);
        return services.BuildServiceProvider();
    }

    private static readonly string[] Texts = ["water is pouring through the kitchen ceiling", "I was billed twice for parking", "the neighbours are loud every night"];

    private static async Task<IReadOnlyList<ApartmentManager.Domain.Classification>> LocalAsync(string[] texts)
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging();
        services.AddIntelligence(configuration);
        await using var sp = services.BuildServiceProvider();
        return await sp.GetRequiredService<IRequestClassifier>().ClassifyBatchAsync(texts);
    }

    [Fact]
    public async Task Inprocess_mode_leaves_the_in_process_models_in_place()
    {
        await using var sp = Build(remote: false);
        Assert.IsType<RequestClassifier>(sp.GetRequiredService<IRequestClassifier>());
        Assert.IsType<OnnxRiskPredictor>(sp.GetRequiredService<IRiskPredictor>());
        Assert.IsType<EncoderTextEmbedder>(sp.GetRequiredService<ITextEmbedder>());
    }

    [Fact]
    public async Task Remote_answers_equal_the_in_process_answers()
    {
        await using var sp = Build();
        var classifier = sp.GetRequiredService<IRequestClassifier>();
        Assert.IsType<RemoteRequestClassifier>(classifier);
        var remote = await classifier.ClassifyBatchAsync(Texts);
        var local = await LocalAsync(Texts);
        Assert.Equal(local.Select(c => (c.Category, c.Urgency, c.Stage, c.ModelVersion)), remote.Select(c => (c.Category, c.Urgency, c.Stage, c.ModelVersion)));
        Assert.Equal(local.Select(c => c.Confidence), remote.Select(c => c.Confidence), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(1, _chaos.Forwarded);

        var rows = Enumerable.Range(0, 5).Select(Samples.Risk).ToArray();
        var risk = (await sp.GetRequiredService<IRiskPredictor>().PredictBatchAsync(rows));
        using var localRisk = new OnnxRiskPredictor(Path.Combine(AppContext.BaseDirectory, "models", "risk-model.onnx"));
        Assert.Equal(localRisk.PredictBatch(rows).Select(r => r.Level), risk.Select(r => r.Level));
        Assert.Equal(2, _chaos.Forwarded);

        var embedder = sp.GetRequiredService<ITextEmbedder>();
        var vectors = await embedder.EmbedManyAsync(Texts);
        Assert.Equal(3, _chaos.Forwarded);
        Assert.Equal(embedder.Dimensions, vectors[0].Length);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_the_server_answers()
    {
        _chaos.Mode = n => n < 2 ? (n == 0 ? ChaosMode.Fail500 : ChaosMode.Fail503) : ChaosMode.Forward;
        await using var sp = Build();
        var remote = await sp.GetRequiredService<IRequestClassifier>().ClassifyBatchAsync(Texts);
        Assert.Equal(3, _chaos.Hits);
        Assert.Equal(1, _chaos.Forwarded);
        Assert.Equal((await LocalAsync(Texts)).Select(c => c.Category), remote.Select(c => c.Category));
    }

    [Fact]
    public async Task A_stalled_server_times_out_and_the_in_process_model_answers()
    {
        _chaos.Mode = _ => ChaosMode.Stall;
        await using var sp = Build(new Dictionary<string, string?> { ["Inference:AttemptTimeoutSeconds"] = "0.2", ["Inference:TotalTimeoutSeconds"] = "1" });
        var answer = await sp.GetRequiredService<IRequestClassifier>().ClassifyBatchAsync(Texts);
        var local = await LocalAsync(Texts);
        Assert.Equal(local.Select(c => (c.Category, c.Urgency, c.Confidence)), answer.Select(c => (c.Category, c.Urgency, c.Confidence)));
        Assert.InRange(_chaos.Hits, 1, 3);
        Assert.Equal(0, _chaos.Forwarded);
    }

    [Theory]
    [InlineData(ChaosMode.GarbageJson)]
    [InlineData(ChaosMode.WrongShape)]
    public async Task Garbage_is_refused_and_the_in_process_models_answer(ChaosMode mode)
    {
        _chaos.Mode = _ => mode;
        await using var sp = Build();
        var answer = await sp.GetRequiredService<IRequestClassifier>().ClassifyBatchAsync(Texts);
        Assert.Equal((await LocalAsync(Texts)).Select(c => (c.Category, c.Urgency)), answer.Select(c => (c.Category, c.Urgency)));

        var rows = new[] { Samples.Risk(3) };
        using var localRisk = new OnnxRiskPredictor(Path.Combine(AppContext.BaseDirectory, "models", "risk-model.onnx"));
        Assert.Equal(localRisk.PredictBatch(rows)[0], (await sp.GetRequiredService<IRiskPredictor>().PredictBatchAsync(rows))[0], RiskEquals);

        var embedder = sp.GetRequiredService<ITextEmbedder>();
        var vector = await embedder.EmbedAsync("water leak in the kitchen");
        Assert.Equal(embedder.Dimensions, vector.Length); // the server's 3-dim garbage vector never gets through
        Assert.Equal(0, _chaos.Forwarded);
    }

    [Fact]
    public async Task The_breaker_opens_and_later_calls_skip_the_network()
    {
        _chaos.Mode = _ => ChaosMode.Fail500;
        await using var sp = Build(new Dictionary<string, string?>
        {
            ["Inference:MaxRetries"] = "0",
            ["Inference:BreakerMinimumThroughput"] = "3",
            ["Inference:BreakerFailureRatio"] = "0.5",
            ["Inference:BreakDurationSeconds"] = "60",
        });
        var classifier = sp.GetRequiredService<IRequestClassifier>();
        var local = await LocalAsync(Texts);
        for (var i = 0; i < 12; i++)
        {
            var answer = await classifier.ClassifyBatchAsync(Texts);
            Assert.Equal(local.Select(c => c.Category), answer.Select(c => c.Category));
        }
        // Three failures opened the breaker; the other nine calls never reached the server.
        Assert.Equal(3, _chaos.Hits);
    }

    private static bool RiskEquals(ApartmentManager.Domain.RiskAssessment a, ApartmentManager.Domain.RiskAssessment b) =>
        Math.Abs(a.Probability - b.Probability) < 1e-6 && a.Level == b.Level && a.Factors.SequenceEqual(b.Factors);
}
