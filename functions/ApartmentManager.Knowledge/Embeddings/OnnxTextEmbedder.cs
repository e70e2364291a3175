using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Knowledge.Embeddings;

/// <summary>
/// Runs the project's embedding model (inputs <c>input_ids</c> int64 [batch, tokens] and <c>weights</c> float
/// [batch, tokens]; output <c>embedding</c> float [batch, dim], L2-normalised) with ONNX Runtime. Tokenisation
/// and term weights come from the <see cref="EmbeddingVocabulary"/> written next to the model.
/// </summary>
public sealed class OnnxTextEmbedder : ITextEmbedder, IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "weights"];
    private static readonly string[] OutputNames = ["embedding"];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly EmbeddingVocabulary _vocabulary;

    public OnnxTextEmbedder(string modelPath, EmbeddingVocabulary vocabulary)
    {
        _vocabulary = vocabulary;

        // A lookup-and-average graph is tiny: one thread and no graph-level thread pool keeps the call in the
        // tens of microseconds and leaves the request threads alone.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        ModelVersion = _session.ModelMetadata.CustomMetadataMap.TryGetValue("model_version", out var v) ? v : vocabulary.Version;
        Dimensions = (int)_session.OutputMetadata["embedding"].Dimensions[^1];
        if (vocabulary.Dimensions != 0 && vocabulary.Dimensions != Dimensions)
        {
            throw new InvalidDataException($"Vocabulary is for {vocabulary.Dimensions} dimensions, model has {Dimensions}.");
        }

        if (!string.IsNullOrEmpty(vocabulary.Version) && vocabulary.Version != ModelVersion)
        {
            throw new InvalidDataException($"Vocabulary version '{vocabulary.Version}' does not match model version '{ModelVersion}'.");
        }
    }

    public int Dimensions { get; }

    public string ModelVersion { get; }

    public static OnnxTextEmbedder Load(string modelPath, string vocabularyPath) =>
        new(modelPath, EmbeddingVocabulary.Load(vocabularyPath));

    public float[] Embed(string text)
    {
        var (ids, weights) = _vocabulary.Encode(text);
        if (ids.Length == 0)
        {
            return new float[Dimensions];
        }

        return Run(ids, weights, 1, ids.Length)[0];
    }

    public float[][] EmbedMany(IReadOnlyList<string> texts)
    {
        var encoded = texts.Select(_vocabulary.Encode).ToList();
        var width = Math.Max(1, encoded.Count == 0 ? 1 : encoded.Max(e => e.Ids.Length));
        if (encoded.Count == 0)
        {
            return [];
        }

        // Padding uses row 0 with weight 0, which the graph's weighted mean ignores.
        var ids = new long[encoded.Count * width];
        var weights = new float[encoded.Count * width];
        for (var i = 0; i < encoded.Count; i++)
        {
            encoded[i].Ids.CopyTo(ids, i * width);
            encoded[i].Weights.CopyTo(weights, i * width);
        }

        return Run(ids, weights, encoded.Count, width);
    }

    private float[][] Run(long[] ids, float[] weights, int batch, int width)
    {
        long[] shape = [batch, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var weightsValue = OrtValue.CreateTensorValueFromMemory(weights, shape);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, weightsValue], OutputNames);
        var flat = outputs[0].GetTensorDataAsSpan<float>();
        var result = new float[batch][];
        for (var i = 0; i < batch; i++)
        {
            result[i] = flat.Slice(i * Dimensions, Dimensions).ToArray();
        }

        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
