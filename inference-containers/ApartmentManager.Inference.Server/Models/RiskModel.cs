using System.Buffers;
using System.Globalization;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>
/// risk-model.onnx behind the server: rows become the tensor through <see cref="RiskFeatureVector.Write"/>; the
/// "margin" output carries each feature's path contribution, so factors cost nothing extra.
/// </summary>
public sealed class RiskModel : ServedModel<RiskFeatures, RiskFeatures, RiskAssessment, RiskAssessment>
{
    public const string ModelName = "risk-model";
    public const int TopFactors = 5;
    private static readonly string[] InputNames = ["features"];
    private static readonly string[] OutputNames = ["margin", "probability"];
    private readonly int _featureCount = RiskFeatureVector.Count;

    public RiskModel(string path, OnnxSession onnx)
        : base(ModelName, Path.GetFileName(path), onnx)
    {
        var session = onnx.Session;
        var expected = string.Join(",", RiskFeatureVector.Names);
        if (session.ModelMetadata.CustomMetadataMap.TryGetValue("feature_names", out var names) && names != expected)
        {
            throw new InvalidOperationException($"Risk model '{path}' was trained on features [{names}], this build computes [{expected}].");
        }
    }

    // 23 floats per row: cheap enough to build on the batch worker, and the factors need the row anyway.
    public override RiskFeatures Prepare(RiskFeatures input) => input;

    public override RiskAssessment Finish(RiskFeatures input, RiskAssessment raw) => raw;

    public override RiskAssessment[] RunBatch(IReadOnlyList<RiskFeatures> rows)
    {
        var n = rows.Count;
        if (n == 0)
        {
            return [];
        }
        var buffer = ArrayPool<float>.Shared.Rent(n * _featureCount);
        try
        {
            for (var i = 0; i < n; i++)
            {
                RiskFeatureVector.Write(rows[i], buffer.AsSpan(i * _featureCount, _featureCount));
            }
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * _featureCount), [n, _featureCount]);
            using var runOptions = new RunOptions();
            using var results = Session.Run(runOptions, InputNames, [input], OutputNames);
            var margin = results[0].GetTensorDataAsSpan<float>();
            var probability = results[1].GetTensorDataAsSpan<float>();
            var width = _featureCount + 2;
            var answers = new RiskAssessment[n];
            for (var i = 0; i < n; i++)
            {
                var p = Math.Clamp((double)probability[i], 0, 1);
                answers[i] = new RiskAssessment(p, RiskLevels.Of(p), Factors(rows[i], margin.Slice(i * width, width)), Version);
            }
            return answers;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Same reduction as the in-process predictor: numeric columns by name, the category one-hot as one factor, top five by size.</summary>
    private List<RiskFactor> Factors(RiskFeatures f, ReadOnlySpan<float> row)
    {
        var list = new List<RiskFactor>(RiskFeatureVector.NumericCount + 1);
        for (var j = 0; j < RiskFeatureVector.NumericCount; j++)
        {
            list.Add(new RiskFactor(RiskFeatureVector.Names[j], Math.Round(row[2 + j], 4), Describe(f, j)));
        }
        double category = 0;
        for (var j = RiskFeatureVector.NumericCount; j < _featureCount; j++)
        {
            category += row[2 + j];
        }
        list.Add(new RiskFactor("category", Math.Round(category, 4), Taxonomy.Name(f.Category)));
        return list.Where(x => x.Contribution != 0).OrderByDescending(x => Math.Abs(x.Contribution)).ThenBy(x => x.Name, StringComparer.Ordinal).Take(TopFactors).ToList();
    }

    private static string? Describe(RiskFeatures f, int column) => column switch
    {
        0 => Taxonomy.Name(f.Urgency),
        1 => f.HazardCues.ToString(CultureInfo.InvariantCulture),
        2 => f.Hour.ToString("00", CultureInfo.InvariantCulture) + ":00",
        3 => f.Weekday.ToString().ToLowerInvariant(),
        4 => f.Season.ToString().ToLowerInvariant(),
        5 => f.BuildingAgeYears?.ToString("0", CultureInfo.InvariantCulture),
        6 => f.IncidentsLast90Days?.ToString(CultureInfo.InvariantCulture),
        7 => f.RepeatComplaints?.ToString(CultureInfo.InvariantCulture),
        8 => f.Vulnerable?.ToString().ToLowerInvariant(),
        9 => f.DaysSinceLastMaintenance?.ToString("0", CultureInfo.InvariantCulture),
        _ => Taxonomy.Name(f.Category),
    };

    protected override RiskFeatures[] SampleRows(int count) =>
        Enumerable.Range(0, count).Select(i => new RiskFeatures(
            (Category)(i % Taxonomy.Categories.Count), (Urgency)(i % Taxonomy.Urgencies.Count), i % 3, i % 24, (DayOfWeek)(i % 7), (Season)(i % 4),
            BuildingAgeYears: i % 2 == 0 ? 30 : null, IncidentsLast90Days: i % 4)).ToArray();
}
