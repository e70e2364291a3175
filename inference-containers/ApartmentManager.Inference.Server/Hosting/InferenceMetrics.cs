using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ApartmentManager.Inference.Server.Hosting;

/// <summary>
/// The server's own instruments (meter "ApartmentManager.Inference"), exported at /metrics in Prometheus format:
/// request latency, batch size and duration, time spent queued, queue depth and rejections, all tagged by model.
/// </summary>
public sealed class InferenceMetrics : IDisposable
{
    public const string MeterName = "ApartmentManager.Inference";

    private static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] SizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Meter _meter;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _warmupRuns;
    private readonly ConcurrentDictionary<string, Func<int>> _depthSources = new();

    public InferenceMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requestDuration = _meter.CreateHistogram("inference.request.duration", "s", "Time to answer one /v1 request, queueing included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _batchSize = _meter.CreateHistogram("inference.batch.size", "{row}", "Rows per ONNX Runtime session call.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = SizeBuckets });
        _batchDuration = _meter.CreateHistogram("inference.batch.duration", "s", "One session call: tensor build, run and result split.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _queueWait = _meter.CreateHistogram("inference.queue.wait", "s", "Time a request waited before its batch started.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _rejected = _meter.CreateCounter<long>("inference.rejected", "{request}", "Requests refused because the model's queue was full or the server not ready.");
        _warmupRuns = _meter.CreateCounter<long>("inference.warmup.runs", "{run}", "Session calls made to warm a model up before readiness.");
        _meter.CreateObservableGauge("inference.queue.depth", ObserveDepth, "{request}", "Requests waiting for a batch, per model.");
    }

    public void RecordRequest(string model, string outcome, double seconds) =>
        _requestDuration.Record(seconds, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordBatch(string model, int rows, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _batchSize.Record(rows, tag);
        _batchDuration.Record(seconds, tag);
    }

    public void RecordQueueWait(string model, double seconds) => _queueWait.Record(seconds, new KeyValuePair<string, object?>("model", model));

    public void RecordRejected(string model, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("reason", reason));

    public void RecordWarmup(string model, int runs) => _warmupRuns.Add(runs, new KeyValuePair<string, object?>("model", model));

    public void TrackQueueDepth(string model, Func<int> depth) => _depthSources[model] = depth;

    private IEnumerable<Measurement<int>> ObserveDepth()
    {
        foreach (var (model, depth) in _depthSources)
        {
            yield return new Measurement<int>(depth(), new KeyValuePair<string, object?>("model", model));
        }
    }

    public void Dispose() => _meter.Dispose();
}
