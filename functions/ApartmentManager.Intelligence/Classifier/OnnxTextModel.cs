using System.Buffers;
using ApartmentManager.Intelligence.Text;
using Microsoft.Extensions.Options;
using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// Serves text-classifier.onnx: "features" float [batch, 16384] (see <see cref="TextFeaturizer"/>) →
/// "category_probabilities" [batch, 13], "urgency_probabilities" [batch, 4] and the winning category's top
/// feature columns. Checks on load that the labels and the featuriser recipe match this build.
/// </summary>
public sealed class OnnxTextModel : IDisposable
{
    private static readonly string[] Inputs = ["features"];
    private static readonly string[] Outputs = ["category_probabilities", "urgency_probabilities", "category_top_feature_indices", "category_top_feature_scores"];
    /// <summary>One set of run options for every call (read-only during a run; creating one per call cost a native allocation).</summary>
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _session;
    private readonly TextFeaturizer _featurizer;

    public OnnxTextModel(IOptions<IntelligenceOptions> options)
        : this(options.Value.ResolvePath(options.Value.TextModelFile), options.Value.IntraOpThreads)
    {
    }

    public OnnxTextModel(string modelPath, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(modelPath, new OnnxSessionSettings { IntraOpThreads = intraOpThreads, ConfigurationHint = "Intelligence:ModelDirectory" }).Session;
        Version = OnnxSessionFactory.Version(_session);
        var meta = _session.ModelMetadata.CustomMetadataMap;
        Check(meta, "category_labels", string.Join(",", Taxonomy.CategoryNames), modelPath);
        Check(meta, "urgency_labels", string.Join(",", Taxonomy.UrgencyNames), modelPath);
        Check(meta, "featurizer", TextFeaturizer.Recipe, modelPath);
        var dim = (int)_session.InputMetadata["features"].Dimensions[1];
        _featurizer = new TextFeaturizer(dim);
    }

    public string Version { get; }
    public TextFeaturizer Featurizer => _featurizer;

    public TextModelOutput Score(string text) => ScoreBatch([text])[0];

    public IReadOnlyList<TextModelOutput> ScoreBatch(IReadOnlyList<string> texts)
    {
        var n = texts.Count;
        if (n == 0)
        {
            return [];
        }
        var d = _featurizer.Dimension;
        var buffer = ArrayPool<float>.Shared.Rent(n * d);
        try
        {
            for (var i = 0; i < n; i++)
            {
                _featurizer.Featurize(texts[i], buffer.AsSpan(i * d, d));
            }
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * d), [n, d]);
            using var results = _session.Run(_runOptions, Inputs, [value], Outputs);
            var cat = results[0].GetTensorDataAsSpan<float>();
            var urg = results[1].GetTensorDataAsSpan<float>();
            var idx = results[2].GetTensorDataAsSpan<long>();
            var scores = results[3].GetTensorDataAsSpan<float>();
            var k = idx.Length / n;
            var c = cat.Length / n;
            var u = urg.Length / n;
            var outputs = new TextModelOutput[n];
            for (var i = 0; i < n; i++)
            {
                outputs[i] = new TextModelOutput(
                    cat.Slice(i * c, c).ToArray(),
                    urg.Slice(i * u, u).ToArray(),
                    TextModelExplanation.Explain(_featurizer, texts[i], idx.Slice(i * k, k), scores.Slice(i * k, k)));
            }
            return outputs;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static void Check(IReadOnlyDictionary<string, string> meta, string key, string expected, string path)
    {
        if (!meta.TryGetValue(key, out var actual) || actual != expected)
        {
            throw new InvalidOperationException($"Text model '{path}' has {key} '{actual}', this build expects '{expected}'. Retrain the model.");
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
