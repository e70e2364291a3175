using System.Buffers;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Text;
using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>
/// text-classifier.onnx behind the server: the input tensor comes from the same <see cref="TextFeaturizer"/> the
/// in-process <c>OnnxTextModel</c> uses, written straight into a pooled buffer that the OrtValue wraps (no copy),
/// and the answer has the in-process <c>TextModelOutput</c> shape.
/// </summary>
public sealed class TextClassifierModel : ServedModel<string, float[], TextModelRaw, TextModelScores>
{
    public const string ModelName = "text-classifier";
    private static readonly string[] InputNames = ["features"];
    private static readonly string[] OutputNames = ["category_probabilities", "urgency_probabilities", "category_top_feature_indices", "category_top_feature_scores"];
    // 32 rows × 16384 floats is 2 MiB: larger than ArrayPool.Shared keeps per thread, so the model owns a pool.
    private readonly ArrayPool<float> _pool = ArrayPool<float>.Create(maxArrayLength: 4096 * TextFeaturizer.DefaultDimension, maxArraysPerBucket: 256);
    private readonly TextFeaturizer _featurizer;

    public TextClassifierModel(string path, OnnxSession onnx)
        : base(ModelName, Path.GetFileName(path), onnx)
    {
        var session = onnx.Session;
        var meta = session.ModelMetadata.CustomMetadataMap;
        Check(meta, "category_labels", string.Join(",", Taxonomy.CategoryNames), path);
        Check(meta, "urgency_labels", string.Join(",", Taxonomy.UrgencyNames), path);
        Check(meta, "featurizer", TextFeaturizer.Recipe, path);
        _featurizer = new TextFeaturizer((int)session.InputMetadata["features"].Dimensions[1]);
    }

    /// <summary>The dense feature row, in a pooled array (returned by <see cref="Release"/>).</summary>
    public override float[] Prepare(string input)
    {
        var row = _pool.Rent(_featurizer.Dimension);
        _featurizer.Featurize(input, row.AsSpan(0, _featurizer.Dimension));
        return row;
    }

    public override void Release(float[] row) => _pool.Return(row);

    public override TextModelRaw[] RunBatch(IReadOnlyList<float[]> rows)
    {
        var n = rows.Count;
        if (n == 0)
        {
            return [];
        }
        var d = _featurizer.Dimension;
        // One contiguous pooled tensor the OrtValue wraps without a copy; each row lands in it with one memcpy.
        var buffer = _pool.Rent(n * d);
        try
        {
            for (var i = 0; i < n; i++)
            {
                rows[i].AsSpan(0, d).CopyTo(buffer.AsSpan(i * d, d));
            }
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * d), [n, d]);
            using var runOptions = new RunOptions();
            using var results = Session.Run(runOptions, InputNames, [input], OutputNames);
            var cat = results[0].GetTensorDataAsSpan<float>();
            var urg = results[1].GetTensorDataAsSpan<float>();
            var idx = results[2].GetTensorDataAsSpan<long>();
            var scores = results[3].GetTensorDataAsSpan<float>();
            int c = cat.Length / n, u = urg.Length / n, k = idx.Length / n;
            var answers = new TextModelRaw[n];
            for (var i = 0; i < n; i++)
            {
                answers[i] = new TextModelRaw(cat.Slice(i * c, c).ToArray(), urg.Slice(i * u, u).ToArray(), idx.Slice(i * k, k).ToArray(), scores.Slice(i * k, k).ToArray());
            }
            return answers;
        }
        finally
        {
            _pool.Return(buffer);
        }
    }

    public override TextModelScores Finish(string input, TextModelRaw raw) =>
        new(raw.CategoryProbabilities, raw.UrgencyProbabilities, TextModelExplanation.Explain(_featurizer, input, raw.TopIndices, raw.TopScores));

    protected override string[] SampleRows(int count) =>
        Enumerable.Range(0, count).Select(i => $"warm-up message {i}: the kitchen sink is leaking under the cabinet and the heater makes noise").ToArray();

    private static void Check(IReadOnlyDictionary<string, string> meta, string key, string expected, string path)
    {
        if (!meta.TryGetValue(key, out var actual) || actual != expected)
        {
            throw new InvalidOperationException($"Text model '{path}' has {key} '{actual}', this build expects '{expected}'. Retrain the model.");
        }
    }
}

/// <summary>The session's per-row outputs before explanation.</summary>
public sealed record TextModelRaw(float[] CategoryProbabilities, float[] UrgencyProbabilities, long[] TopIndices, float[] TopScores);
