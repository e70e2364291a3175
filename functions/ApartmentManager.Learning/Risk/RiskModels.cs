using System.Collections.Concurrent;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Learning.Risk;

/// <summary>
/// The risk models a parameter set can use, as real ONNX Runtime sessions: the configured model, or a model retrained
/// from outcomes whose bytes the parameter-set store keeps (written once to a file in the cache directory for ONNX
/// Runtime to open; one session per model and process). Also the risk step's source of the active set's model.
/// </summary>
public sealed class RiskModels(IParameterSetStore sets, ActiveCalibrationSource active, IOptions<IntelligenceOptions> intelligence, IOptions<LearningOptions> options)
    : IRiskModelSource, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OnnxRiskPredictor>>> _learned = new(StringComparer.Ordinal);
    private readonly Lazy<OnnxRiskPredictor> _configured = new(() => new OnnxRiskPredictor(intelligence.Value.RiskModelPath), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The active parameter set's retrained model; null when it has none (the configured model is used).</summary>
    public async ValueTask<IRiskPredictor?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        (await active.ReadAsync(cancellationToken).ConfigureAwait(false))?.RiskModel is { } model
            ? await OpenAsync(model, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The session of <paramref name="model"/>, or of the configured model when null.</summary>
    public async Task<OnnxRiskPredictor> OpenAsync(LearnedRiskModel? model, CancellationToken cancellationToken = default)
    {
        if (model is null)
        {
            return _configured.Value;
        }
        var lazy = _learned.GetOrAdd(model.StoredWith, version => new Lazy<Task<OnnxRiskPredictor>>(() => LoadAsync(version, model.ModelVersion)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _learned.TryRemove(new KeyValuePair<string, Lazy<Task<OnnxRiskPredictor>>>(model.StoredWith, lazy)); // try again next time
            throw;
        }
    }

    /// <summary>The configured model's ONNX bytes (what retraining continues from).</summary>
    public byte[] ConfiguredBytes() => File.ReadAllBytes(intelligence.Value.RiskModelPath);

    /// <summary>Writes <paramref name="onnx"/> to the cache directory and opens it (the learning run's candidate, before it is stored).</summary>
    public OnnxRiskPredictor Open(byte[] onnx, string name) => new(WriteFile(onnx, name));

    /// <summary>
    /// The base (before learned shifts) escalation probability of each outcome under <paramref name="model"/>: the kept
    /// input row scored again by that model, or, for an outcome without a row, the probability recorded at decision time.
    /// </summary>
    public async Task<RiskBase> ScoreAsync(IReadOnlyList<OutcomeRecord> outcomes, LearnedRiskModel? model, CancellationToken cancellationToken)
    {
        var withRows = RowsOf(outcomes);
        if (withRows.Count == 0)
        {
            return RiskBase.Recorded;
        }
        var predictor = await OpenAsync(model, cancellationToken).ConfigureAwait(false);
        return Score(predictor, withRows);
    }

    internal static RiskBase Score(OnnxRiskPredictor predictor, IReadOnlyList<(OutcomeRecord Outcome, float[] Row)> withRows)
    {
        var p = predictor.PredictRows([.. withRows.Select(x => x.Row)]);
        var map = new Dictionary<string, double>(withRows.Count, StringComparer.Ordinal);
        for (int i = 0; i < p.Length; i++)
        {
            map[withRows[i].Outcome.RequestId] = p[i];
        }
        return new RiskBase(map);
    }

    /// <summary>Outcomes whose kept row matches this build's feature columns, with the row as model input.</summary>
    public static List<(OutcomeRecord Outcome, float[] Row)> RowsOf(IEnumerable<OutcomeRecord> outcomes)
    {
        var list = new List<(OutcomeRecord, float[])>();
        foreach (var o in outcomes)
        {
            if (RiskFeatureVector.FromInputs(o.RiskInputs) is { } row)
            {
                list.Add((o, row));
            }
        }
        return list;
    }

    private async Task<OnnxRiskPredictor> LoadAsync(string version, string modelVersion)
    {
        var bytes = await sets.GetRiskModelAsync(version).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Parameter set {version} names a retrained risk model ({modelVersion}) that the store does not hold.");
        return new OnnxRiskPredictor(WriteFile(bytes, version));
    }

    private string WriteFile(byte[] onnx, string name)
    {
        var dir = string.IsNullOrWhiteSpace(options.Value.ModelCacheDirectory)
            ? Path.Combine(Path.GetTempPath(), "apartment-manager-learned-models")
            : options.Value.ModelCacheDirectory;
        Directory.CreateDirectory(dir);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx))[..16];
        var path = Path.Combine(dir, $"risk-model-{name}-{hash}.onnx");
        if (!File.Exists(path))
        {
            // Written under a unique name, then moved: another process reading the same model never sees half a file.
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, onnx);
            File.Move(temporary, path, overwrite: true);
        }
        return path;
    }

    public void Dispose()
    {
        if (_configured.IsValueCreated)
        {
            _configured.Value.Dispose();
        }
        foreach (var lazy in _learned.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
    }
}

/// <summary>Each outcome's escalation probability before learned shifts under one risk model (by request id; the recorded one where absent).</summary>
public sealed class RiskBase(IReadOnlyDictionary<string, double> byRequest)
{
    public static readonly RiskBase Recorded = new(new Dictionary<string, double>());

    public double Of(OutcomeRecord o) => byRequest.TryGetValue(o.RequestId, out var p) ? p : o.RiskProbability;
}
