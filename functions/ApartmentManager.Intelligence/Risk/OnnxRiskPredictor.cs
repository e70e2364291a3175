using ApartmentManager.Domain;
using Microsoft.Extensions.Options;
using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>
/// Serves risk-model.onnx: a gradient-boosted tree ensemble whose output "margin" carries, per row, the log-odds
/// (column 0), the bias (column 1) and each feature's signed path contribution (columns 2…), and whose output
/// "probability" is the sigmoid of the log-odds. So the explanation comes from the same graph as the score.
/// </summary>
public sealed class OnnxRiskPredictor : IRiskPredictor, IDisposable
{
    public const int TopFactors = 5;
    private readonly InferenceSession _session;
    private readonly int _featureCount = RiskFeatureVector.Count;
    private static readonly string[] Inputs = ["features"];
    private static readonly string[] Outputs = ["margin", "probability"];
    /// <summary>One set of run options for every call (read-only during a run; creating one per call cost a native allocation).</summary>
    private readonly RunOptions _runOptions = new();

    public OnnxRiskPredictor(IOptions<IntelligenceOptions> options)
        : this(options.Value.ResolvePath(options.Value.RiskModelFile), options.Value.IntraOpThreads)
    {
    }

    public OnnxRiskPredictor(string modelPath, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(modelPath, new OnnxSessionSettings { IntraOpThreads = intraOpThreads, ConfigurationHint = "Intelligence:ModelDirectory" }).Session;
        ModelVersion = OnnxSessionFactory.Version(_session);
        var expected = string.Join(",", RiskFeatureVector.Names);
        if (_session.ModelMetadata.CustomMetadataMap.TryGetValue("feature_names", out var names) && names != expected)
        {
            throw new InvalidOperationException($"Risk model '{modelPath}' was trained on features [{names}], this build computes [{expected}].");
        }
    }

    public string ModelVersion { get; }

    public async Task<RiskAssessment> PredictAsync(RiskFeatures features, CancellationToken cancellationToken = default) =>
        (await PredictBatchAsync([features], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Microseconds of CPU work: runs on the caller's thread and returns a completed task.</summary>
    public Task<IReadOnlyList<RiskAssessment>> PredictBatchAsync(IReadOnlyList<RiskFeatures> features, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(PredictBatch(features));
    }

    /// <summary>The synchronous form (training tool, model server).</summary>
    public IReadOnlyList<RiskAssessment> PredictBatch(IReadOnlyList<RiskFeatures> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0)
        {
            return [];
        }
        var n = features.Count;
        var input = new float[n * _featureCount];
        for (var i = 0; i < n; i++)
        {
            RiskFeatureVector.Write(features[i], input.AsSpan(i * _featureCount, _featureCount));
        }
        using var value = OrtValue.CreateTensorValueFromMemory(input, [n, _featureCount]);
        using var results = _session.Run(_runOptions, Inputs, [value], Outputs);
        var margin = results[0].GetTensorDataAsSpan<float>();
        var probability = results[1].GetTensorDataAsSpan<float>();
        var width = _featureCount + 2;
        var answers = new RiskAssessment[n];
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp((double)probability[i], 0, 1);
            answers[i] = new RiskAssessment(p, RiskLevels.Of(p), Factors(features[i], margin.Slice(i * width, width)), ModelVersion);
        }
        return answers;
    }

    /// <summary>The escalation probability of model input rows (<see cref="RiskFeatureVector"/> layout), in order: how kept rows are re-scored.</summary>
    public double[] PredictRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var answers = new double[rows.Count];
        const int Chunk = 256;
        for (var start = 0; start < rows.Count; start += Chunk)
        {
            var n = Math.Min(Chunk, rows.Count - start);
            var input = new float[n * _featureCount];
            for (var i = 0; i < n; i++)
            {
                rows[start + i].AsSpan().CopyTo(input.AsSpan(i * _featureCount, _featureCount));
            }
            using var value = OrtValue.CreateTensorValueFromMemory(input, [n, _featureCount]);
            using var results = _session.Run(_runOptions, Inputs, [value], Outputs);
            var probability = results[1].GetTensorDataAsSpan<float>();
            for (var i = 0; i < n; i++)
            {
                answers[start + i] = Math.Clamp((double)probability[i], 0, 1);
            }
        }
        return answers;
    }

    /// <summary>Per-feature contributions in log-odds; the 13 category columns are reported as one "category" factor.</summary>
    private IReadOnlyList<RiskFactor> Factors(RiskFeatures f, ReadOnlySpan<float> row)
    {
        var list = new List<RiskFactor>(RiskFeatureVector.NumericCount + 1);
        for (var j = 0; j < RiskFeatureVector.NumericCount; j++)
        {
            list.Add(new RiskFactor(RiskFeatureVector.Names[j], Math.Round(row[2 + j], 4), RiskFeatureVector.Describe(f, j)));
        }
        double category = 0;
        for (var j = RiskFeatureVector.NumericCount; j < _featureCount; j++)
        {
            category += row[2 + j];
        }
        list.Add(new RiskFactor("category", Math.Round(category, 4), Taxonomy.Name(f.Category)));
        return list.Where(x => x.Contribution != 0).OrderByDescending(x => Math.Abs(x.Contribution)).ThenBy(x => x.Name, StringComparer.Ordinal).Take(TopFactors).ToList();
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
