using System.Globalization;
using System.Text.Json;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence.Tests;

[Collection(nameof(ModelsCollection))]
public sealed class ModelTests(Models models)
{
    [Fact]
    public void Committed_models_load_and_report_the_versions_in_metrics_json()
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Models.PathOf("metrics.json")));
        Assert.Equal(metrics.RootElement.GetProperty("text_classifier").GetProperty("model_version").GetString(), models.TextModel.Version);
        Assert.Equal(metrics.RootElement.GetProperty("risk_model").GetProperty("model_version").GetString(), models.Risk.ModelVersion);
        Assert.StartsWith("text-classifier/", models.TextModel.Version);
        Assert.StartsWith("risk-gbdt/", models.Risk.ModelVersion);
    }

    [Theory]
    [InlineData("The bathroom faucet keeps dripping, can someone take a look", Category.Plumbing)]
    [InlineData("I was charged a late fee even though I paid rent on time", Category.Billing)]
    [InlineData("Upstairs neighbors play loud music until 3am", Category.NoiseNeighbor)]
    [InlineData("Hay cucarachas en la cocina", Category.Pest)]
    public async Task Classifier_answers_sensible_categories(string text, Category expected)
    {
        var c = await models.Classifier.ClassifyAsync(text);
        Assert.Equal(expected, c.Category);
        Assert.InRange(c.Confidence, 0, 1);
        Assert.Equal(models.TextModel.Version, c.ModelVersion);
        Assert.Contains(c.Stage, new[] { "rules", "model" });
        Assert.NotEmpty(c.Evidence);
    }

    [Fact]
    public async Task Emergency_cue_raises_urgency_whatever_the_model_says()
    {
        var c = await models.Classifier.ClassifyAsync("Quick question about my lease renewal. Also I smell gas in the hallway");
        Assert.Equal(Urgency.Emergency, c.Urgency);
        Assert.Contains(c.Evidence, e => e.Contains("gas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_equals_one_by_one()
    {
        string[] texts = ["no hot water since yesterday", "package stolen from my door", "¿cuándo es la fumigación?", "sparks from the outlet!!"];
        var batch = await models.Classifier.ClassifyBatchAsync(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await models.Classifier.ClassifyAsync(texts[i]);
            Assert.Equal(single.Category, batch[i].Category);
            Assert.Equal(single.Urgency, batch[i].Urgency);
            Assert.Equal(single.Confidence, batch[i].Confidence, 5);
        }
    }

    [Fact]
    public async Task Batch_over_the_limit_is_refused()
    {
        var texts = Enumerable.Repeat("leak", models.Options.MaxBatchSize + 1).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => models.Classifier.ClassifyBatchAsync(texts));
    }

    [Fact]
    public void Risk_factors_are_signed_and_levels_follow_the_cutoffs()
    {
        var calm = new RiskFeatures(Category.Lease, Urgency.Low, 0, 11, DayOfWeek.Tuesday, Season.Spring, 5, 0, 0, false, 20);
        var bad = new RiskFeatures(Category.Plumbing, Urgency.Emergency, 3, 2, DayOfWeek.Sunday, Season.Winter, 80, 5, 3, true, 600);
        var results = models.Risk.PredictBatch([calm, bad]);
        Assert.True(results[1].Probability > results[0].Probability);
        Assert.Equal(RiskLevels.Of(results[0].Probability), results[0].Level);
        Assert.Equal(RiskLevel.Critical, results[1].Level);
        Assert.Equal(RiskLevel.Low, results[0].Level);
        Assert.All(results[1].Factors.Take(3), f => Assert.True(f.Contribution > 0));
        Assert.Contains(results[0].Factors, f => f.Contribution < 0);
        Assert.InRange(results[1].Factors.Count, 1, OnnxRiskPredictor.TopFactors);
    }

    [Fact]
    public void Unknown_history_is_accepted()
    {
        var r = models.Risk.PredictBatch([new RiskFeatures(Category.Hvac, Urgency.High, 1, 22, DayOfWeek.Friday, Season.Winter)])[0];
        Assert.InRange(r.Probability, 0, 1);
    }

    [Fact]
    public void Features_build_from_a_request()
    {
        var request = ResidentRequest.Create("r1", "res1", "b1", "4B", Channel.Web, "Water is flooding the kitchen and I smell gas",
            new DateTimeOffset(2026, 1, 10, 23, 30, 0, TimeSpan.Zero), "res1");
        var classification = new Classification(Category.Plumbing, Urgency.Emergency, 0.9, [], [], "rules", "v");
        var f = RiskFeaturesBuilder.From(request, classification, new RiskHistory(IncidentsLast90Days: 2, RepeatComplaints: 1));
        Assert.Equal(2, f.HazardCues);
        Assert.Equal(23, f.Hour);
        Assert.Equal(DayOfWeek.Saturday, f.Weekday);
        Assert.Equal(Season.Winter, f.Season);
        Assert.Equal(2, f.IncidentsLast90Days);
        Assert.Null(f.BuildingAgeYears);
        Assert.Equal(float.NaN, RiskFeatureVector.ToVector(f)[5]);
    }

    [Fact]
    public void Risk_contributions_sum_to_the_log_odds()
    {
        using var session = new InferenceSession(Models.PathOf("risk-model.onnx"));
        var v = RiskFeatureVector.ToVector(new RiskFeatures(Category.Electrical, Urgency.High, 1, 3, DayOfWeek.Monday, Season.Summer, 40, 1, null, true, 100));
        using var input = OrtValue.CreateTensorValueFromMemory(v, [1, v.Length]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["margin", "probability"]);
        var m = results[0].GetTensorDataAsSpan<float>().ToArray();
        var sum = m.Skip(1).Sum(x => (double)x);
        Assert.Equal(m[0], sum, 3);
        Assert.Equal(1 / (1 + Math.Exp(-m[0])), results[1].GetTensorDataAsSpan<float>()[0], 5);
    }
}
