using ApartmentManager.Inference.Contracts;
using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>A loaded model as the registry and GET /v1/models see it.</summary>
public interface IServedModel : IDisposable
{
    string Name { get; }
    string Version { get; }
    string File { get; }
    string ExecutionProvider { get; }

    /// <summary>Runs typical batch shapes through the real code path so the first request pays no allocation or planning cost.</summary>
    int WarmUp(int iterations, int maxBatchSize);

    ModelDescription Describe(bool warmedUp);
}

/// <summary>
/// One ONNX model in three steps, so that only the session call is serialised by the batcher:
/// <see cref="Prepare"/> (featurise one input, on the request's thread, in parallel across requests),
/// <see cref="RunBatch"/> (one session call for many prepared rows, on the batch worker) and
/// <see cref="Finish"/> (per-row post-processing such as explanations, back on the request's thread).
/// </summary>
public abstract class ServedModel<TIn, TRow, TRaw, TOut> : IServedModel
{
    /// <param name="ownsSession">false for a session shared with others in the process (the sentence encoder): never disposed here.</param>
    protected ServedModel(string name, string file, OnnxSession session, bool ownsSession = true)
    {
        Name = name;
        File = file;
        Session = session.Session;
        _owned = ownsSession ? session : null;
        ExecutionProvider = session.ExecutionProvider;
        Version = session.Version();
    }

    private readonly IDisposable? _owned;

    public string Name { get; }
    public string Version { get; protected init; }
    public string File { get; }
    public string ExecutionProvider { get; }
    protected InferenceSession Session { get; }

    public abstract TRow Prepare(TIn input);

    /// <summary>One session call; answers in row order. Thread-safe: ONNX Runtime sessions allow concurrent Run calls.</summary>
    public abstract TRaw[] RunBatch(IReadOnlyList<TRow> rows);

    public abstract TOut Finish(TIn input, TRaw raw);

    /// <summary>Hands a prepared row's pooled memory back once no session call can read it any more.</summary>
    public virtual void Release(TRow row)
    {
    }

    /// <summary>All three steps in a row: warm-up, and the load test's raw baseline.</summary>
    public TOut[] Run(IReadOnlyList<TIn> inputs)
    {
        var rows = inputs.Select(Prepare).ToArray();
        try
        {
            var raw = RunBatch(rows);
            return inputs.Select((input, i) => Finish(input, raw[i])).ToArray();
        }
        finally
        {
            foreach (var row in rows)
            {
                Release(row);
            }
        }
    }

    protected abstract TIn[] SampleRows(int count);

    public virtual int WarmUp(int iterations, int maxBatchSize)
    {
        var runs = 0;
        for (var i = 0; i < iterations; i++)
        {
            foreach (var size in new[] { 1, Math.Max(1, maxBatchSize / 2), maxBatchSize }.Distinct())
            {
                _ = Run(SampleRows(size));
                runs++;
            }
        }
        return runs;
    }

    public ModelDescription Describe(bool warmedUp) => new(
        Name, Version, File, warmedUp,
        Session.InputMetadata.Select(kv => Tensor(kv.Key, kv.Value)).ToList(),
        Session.OutputMetadata.Select(kv => Tensor(kv.Key, kv.Value)).ToList());

    private static TensorDescription Tensor(string name, NodeMetadata meta) =>
        new(name, meta.IsTensor ? meta.ElementDataType.ToString().ToLowerInvariant() : meta.OnnxValueType.ToString().ToLowerInvariant(),
            meta.IsTensor ? meta.Dimensions.Select(d => (long)d).ToList() : []);

    public void Dispose()
    {
        _owned?.Dispose();
        GC.SuppressFinalize(this);
    }
}
