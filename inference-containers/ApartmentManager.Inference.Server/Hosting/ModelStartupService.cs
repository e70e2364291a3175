using System.Diagnostics;
using ApartmentManager.Inference.Server.Batching;
using ApartmentManager.Inference.Server.Models;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Inference.Server.Hosting;

/// <summary>
/// Loads every model, warms each one up through its real code path, then publishes them: /readyz turns 200 only
/// after that. Runs in the background so /healthz answers while the models load. A model that fails to load
/// leaves the server live but never ready (the orchestrator keeps traffic away and reports the failure).
/// </summary>
public sealed partial class ModelStartupService(
    ModelRegistry registry,
    IOptions<InferenceServerOptions> options,
    InferenceMetrics metrics,
    IReadinessGate gate,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelStartupService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        var disposables = new List<IDisposable>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var text = Track(new TextClassifierModel(o.ResolvePath(o.TextModelFile), Session(o.TextModelFile)), disposables);
            var risk = Track(new RiskModel(o.ResolvePath(o.RiskModelFile), Session(o.RiskModelFile)), disposables);
            var encoder = Track(new EncoderModel(SharedSentenceEncoders.Get(o.ResolvePath(o.EncoderDirectory), o.SessionSettings(), SentenceEncoder.DefaultMaxTokens, o.Batching.MaxBatchSize, 0).Encoder), disposables);
            WarnOnFallback(encoder.Encoder.Onnx);
            var headsPath = o.ResolvePath(o.EncoderHeadsFile);
            var heads = File.Exists(headsPath) ? new Intelligence.Classifier.OnnxEncoderHeads(headsPath, o.IntraOpThreads) : null;
            if (heads is not null)
            {
                disposables.Add(heads);
            }
            IServedModel[] all = [text, risk, encoder];
            foreach (var model in all)
            {
                stoppingToken.ThrowIfCancellationRequested();
                var warm = Stopwatch.GetTimestamp();
                var runs = model.WarmUp(o.Warmup.Iterations, o.Batching.MaxBatchSize);
                metrics.RecordWarmup(model.Name, runs);
                LogWarmedUp(model.Name, model.Version, model.ExecutionProvider, runs, Stopwatch.GetElapsedTime(warm).TotalMilliseconds);
            }
            await gate.WaitAsync(stoppingToken).ConfigureAwait(false);
            var batcherLogger = loggerFactory.CreateLogger("ApartmentManager.Inference.Server.Batching");
            var concurrentCalls = o.Batching.EncoderConcurrentCalls > 0 ? o.Batching.EncoderConcurrentCalls : Environment.ProcessorCount;
            var encoderCalls = new SemaphoreSlim(concurrentCalls, concurrentCalls);
            registry.Publish(new LoadedModels(
                text, new DynamicBatcher<float[], TextModelRaw>(text.Name, text.RunBatch, o.Batching, metrics, batcherLogger, text.Release),
                risk, new DynamicBatcher<Intelligence.Risk.RiskFeatures, Domain.RiskAssessment>(risk.Name, risk.RunBatch, o.Batching, metrics, batcherLogger),
                new EncoderService(encoder, o.EncoderBuckets,
                    o.EncoderBuckets.Select(limit => new DynamicBatcher<EncoderTokens, float[]>($"{encoder.Name}-{limit}", encoder.RunBatch, o.Batching, metrics, batcherLogger,
                        sharedSlots: encoderCalls)).ToArray(),
                    new EmbeddingCache(o.EmbeddingCacheCapacity), encoderCalls),
                heads));
            LogReady(all.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            disposables.ForEach(d => d.Dispose());
        }
        catch (Exception ex)
        {
            disposables.ForEach(d => d.Dispose());
            registry.Fail(ex.Message);
            LogLoadFailed(ex);
        }
    }

    private OnnxSession Session(string file)
    {
        var session = OnnxSessionFactory.Create(options.Value.ResolvePath(file), options.Value.SessionSettings());
        WarnOnFallback(session);
        return session;
    }

    private void WarnOnFallback(OnnxSession session)
    {
        if (session.CpuFallbackReason is { } reason)
        {
            LogCpuFallback(session.Session.ModelMetadata.GraphName, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider unavailable for {Model}; serving on CPU: {Reason}")]
    private partial void LogCpuFallback(string model, string reason);

    private static T Track<T>(T model, List<IDisposable> disposables) where T : IDisposable
    {
        disposables.Add(model);
        return model;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} {Version} warmed up on {ExecutionProvider}: {Runs} runs in {ElapsedMs:0.0} ms")]
    private partial void LogWarmedUp(string model, string version, string executionProvider, int runs, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inference server ready: {Models} models loaded and warmed up in {ElapsedMs:0} ms")]
    private partial void LogReady(int models, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Loading the models failed; the server stays unready")]
    private partial void LogLoadFailed(Exception exception);
}
