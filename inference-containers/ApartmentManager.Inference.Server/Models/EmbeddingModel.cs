using System.Buffers;
using ApartmentManager.Knowledge.Embeddings;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>
/// embeddings.onnx behind the server: tokenisation and term weights from the same <see cref="EmbeddingVocabulary"/>
/// the in-process embedder uses; a batch is padded to its longest text with weight-0 tokens, which the graph's
/// weighted mean ignores.
/// </summary>
public sealed class EmbeddingModel : ServedModel<string, EncodedText, float[], float[]>
{
    public const string ModelName = "embeddings";
    private static readonly string[] InputNames = ["input_ids", "weights"];
    private static readonly string[] OutputNames = ["embedding"];
    private readonly EmbeddingVocabulary _vocabulary;

    public EmbeddingModel(string path, EmbeddingVocabulary vocabulary, InferenceSession session, string executionProvider)
        : base(ModelName, path, session, executionProvider)
    {
        _vocabulary = vocabulary;
        Version = OnnxSessions.Version(session, vocabulary.Version);
        Dimensions = (int)session.OutputMetadata["embedding"].Dimensions[^1];
        if (vocabulary.Dimensions != 0 && vocabulary.Dimensions != Dimensions)
        {
            throw new InvalidDataException($"Vocabulary is for {vocabulary.Dimensions} dimensions, model has {Dimensions}.");
        }
        if (!string.IsNullOrEmpty(vocabulary.Version) && vocabulary.Version != Version)
        {
            throw new InvalidDataException($"Vocabulary version '{vocabulary.Version}' does not match model version '{Version}'.");
        }
    }

    public int Dimensions { get; }

    /// <summary>Tokenisation on the request's thread.</summary>
    public override EncodedText Prepare(string input)
    {
        var (ids, weights) = _vocabulary.Encode(input);
        return new EncodedText(ids, weights);
    }

    public override float[] Finish(string input, float[] raw) => raw;

    public override float[][] RunBatch(IReadOnlyList<EncodedText> encoded)
    {
        var n = encoded.Count;
        if (n == 0)
        {
            return [];
        }
        var width = 1;
        for (var i = 0; i < n; i++)
        {
            width = Math.Max(width, encoded[i].Ids.Length);
        }
        var ids = ArrayPool<long>.Shared.Rent(n * width);
        var weights = ArrayPool<float>.Shared.Rent(n * width);
        try
        {
            Array.Clear(ids, 0, n * width);
            Array.Clear(weights, 0, n * width);
            for (var i = 0; i < n; i++)
            {
                encoded[i].Ids.CopyTo(ids, i * width);
                encoded[i].Weights.CopyTo(weights, i * width);
            }
            long[] shape = [n, width];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, n * width), shape);
            using var weightsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, weights.AsMemory(0, n * width), shape);
            using var runOptions = new RunOptions();
            using var outputs = Session.Run(runOptions, InputNames, [idsValue, weightsValue], OutputNames);
            var flat = outputs[0].GetTensorDataAsSpan<float>();
            var result = new float[n][];
            for (var i = 0; i < n; i++)
            {
                // A text with no known term is the zero vector, exactly as the in-process embedder answers it.
                result[i] = encoded[i].Ids.Length == 0 ? new float[Dimensions] : flat.Slice(i * Dimensions, Dimensions).ToArray();
            }
            return result;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<float>.Shared.Return(weights);
        }
    }

    protected override string[] SampleRows(int count) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0 ? "water leak under the kitchen sink" : "noise from the neighbours late at night, the heating is broken").ToArray();
}

/// <summary>Token ids and term weights of one text.</summary>
public sealed record EncodedText(long[] Ids, float[] Weights);
