using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// Serves encoder-heads.onnx: two softmax heads (category 13, urgency 4) over <see cref="EncoderHeadFeatures"/>
/// rows ("features" float [batch, 402] → "category_probabilities", "urgency_probabilities"), trained by the
/// project's training tool on the sentence encoder's embeddings. Checks labels and the feature recipe on load.
/// </summary>
public sealed class OnnxEncoderHeads : IDisposable
{
    public const string FileName = "encoder-heads.onnx";
    private static readonly string[] Inputs = ["features"];
    private static readonly string[] Outputs = ["category_probabilities", "urgency_probabilities"];
    /// <summary>One set of run options for every call (read-only during a run; creating one per call cost a native allocation).</summary>
    private readonly RunOptions _runOptions = new();
    private readonly OnnxSession _session;

    public OnnxEncoderHeads(string modelPath, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(modelPath, new OnnxSessionSettings { IntraOpThreads = intraOpThreads, ConfigurationHint = "Intelligence:ModelDirectory" });
        Version = _session.Version();
        var meta = _session.Session.ModelMetadata.CustomMetadataMap;
        Check(meta, "category_labels", string.Join(",", Taxonomy.CategoryNames), modelPath);
        Check(meta, "urgency_labels", string.Join(",", Taxonomy.UrgencyNames), modelPath);
        Check(meta, "featurizer", EncoderHeadFeatures.Recipe, modelPath);
    }

    public string Version { get; }

    /// <summary>One session call for all rows (each <see cref="EncoderHeadFeatures.Dimension"/> long); probabilities in label order.</summary>
    public (float[] Category, float[] Urgency)[] Score(IReadOnlyList<float[]> rows)
    {
        var n = rows.Count;
        if (n == 0)
        {
            return [];
        }
        var d = EncoderHeadFeatures.Dimension;
        var input = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            rows[i].AsSpan().CopyTo(input.AsSpan(i * d, d));
        }
        using var value = OrtValue.CreateTensorValueFromMemory(input, [n, d]);
        using var results = _session.Session.Run(_runOptions, Inputs, [value], Outputs);
        var cat = results[0].GetTensorDataAsSpan<float>();
        var urg = results[1].GetTensorDataAsSpan<float>();
        int c = cat.Length / n, u = urg.Length / n;
        var answers = new (float[], float[])[n];
        for (var i = 0; i < n; i++)
        {
            answers[i] = (cat.Slice(i * c, c).ToArray(), urg.Slice(i * u, u).ToArray());
        }
        return answers;
    }

    private static void Check(IReadOnlyDictionary<string, string> meta, string key, string expected, string path)
    {
        if (!meta.TryGetValue(key, out var actual) || actual != expected)
        {
            throw new InvalidOperationException($"Encoder heads '{path}' have {key} '{actual}', this build expects '{expected}'. Retrain with the training tool.");
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
