using System.Globalization;
using System.Text.Json;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.ModelTraining.Data;
using ApartmentManager.ModelTraining.Training;
using ApartmentManager.Intelligence.Risk.Training;
using ApartmentManager.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>ONNX Runtime on the exported graphs reproduces the trainers' own predictions to 1e-4.</summary>
[Collection(nameof(ModelsCollection))]
public sealed class AgreementTests(Models models)
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Committed_risk_model_matches_the_trainer_on_held_out_rows()
    {
        var lines = File.ReadAllLines(Models.PathOf("risk-model.holdout.csv"));
        Assert.True(lines.Length > 200);
        var width = RiskFeatureVector.Count;
        using var session = new InferenceSession(Models.PathOf("risk-model.onnx"));
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var x = cells.Take(width).Select(c => (float)c).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(x, [1, width]);
            using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["margin", "probability"]);
            Assert.Equal(cells[width], results[1].GetTensorDataAsSpan<float>()[0], Tolerance);
            Assert.Equal(cells[width + 1], results[0].GetTensorDataAsSpan<float>()[0], Tolerance);
        }
    }

    [Fact]
    public void Committed_text_model_matches_the_trainer_on_held_out_rows()
    {
        var rows = File.ReadAllLines(Models.PathOf("text-classifier.holdout.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(rows.Count > 100);
        var outputs = models.TextModel.ScoreBatch(rows.Select(r => r.GetProperty("text").GetString()!).Take(64).ToList());
        for (var i = 0; i < outputs.Count; i++)
        {
            var pc = rows[i].GetProperty("category_probabilities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var pu = rows[i].GetProperty("urgency_probabilities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (var c = 0; c < pc.Length; c++)
            {
                Assert.Equal(pc[c], outputs[i].CategoryProbabilities[c], Tolerance);
            }
            for (var u = 0; u < pu.Length; u++)
            {
                Assert.Equal(pu[u], outputs[i].UrgencyProbabilities[u], Tolerance);
            }
        }
    }

    [Fact]
    public void Freshly_trained_gbdt_matches_onnx_on_held_out_rows()
    {
        var rows = new RiskSimulator(99).Generate(3000, 0.2);
        var train = rows.Where(r => r.Split == "train").ToList();
        var test = rows.Where(r => r.Split == "test").ToList();
        var model = GradientBoostedTrees.Train(train.Select(r => RiskFeatureVector.ToVector(r.Features)).ToList(), train.Select(r => r.Escalated).ToList(),
            new GradientBoostedTrees.Options(Trees: 40, MaxDepth: 3, MinLeaf: 20));
        var onnx = OnnxModelBuilders.TreeEnsembleRegressor("t", model.ToOnnxEnsemble(), "test", sigmoidOfTarget: 0);
        using var session = new InferenceSession(onnx.ToBytes());
        var n = test.Count;
        var x = test.SelectMany(r => RiskFeatureVector.ToVector(r.Features)).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(x, [n, RiskFeatureVector.Count]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["margin", "probability"]);
        var p = results[1].GetTensorDataAsSpan<float>().ToArray();
        var margin = results[0].GetTensorDataAsSpan<float>().ToArray();
        var width = RiskFeatureVector.Count + 2;
        for (var i = 0; i < n; i++)
        {
            var v = RiskFeatureVector.ToVector(test[i].Features);
            Assert.Equal(model.PredictProbability(v), p[i], Tolerance);
            var contributions = model.Contributions(v);
            Assert.Equal(contributions[0], margin[i * width + 1], Tolerance);
            for (var f = 0; f < RiskFeatureVector.Count; f++)
            {
                Assert.Equal(contributions[1 + f], margin[i * width + 2 + f], Tolerance);
            }
        }
    }

    [Fact]
    public void Freshly_trained_softmax_regression_matches_onnx()
    {
        var featurizer = new Text.TextFeaturizer();
        string[] texts = ["leaking sink", "loud music next door", "late fee on rent", "sparks from outlet", "package missing", "roaches in kitchen"];
        int[] labels = [(int)Category.Plumbing, (int)Category.NoiseNeighbor, (int)Category.Billing, (int)Category.Electrical, (int)Category.PackageDelivery, (int)Category.Pest];
        var rows = texts.Select(t => ApartmentManager.ModelTraining.TrainingPipeline.ToRow(featurizer, t)).ToList();
        var model = SoftmaxRegression.Train(rows, labels, 13, featurizer.Dimension, new SoftmaxRegression.Options(Iterations: 30));
        var onnx = OnnxModelBuilders.LinearSoftmaxClassifier("t", featurizer.Dimension, [new LinearHead("category", Taxonomy.CategoryNames, model.Weights, model.Bias)], "t");
        using var session = new InferenceSession(onnx.ToBytes());
        foreach (var (text, row) in texts.Zip(rows))
        {
            var x = featurizer.Featurize(text);
            using var input = OrtValue.CreateTensorValueFromMemory(x, [1, x.Length]);
            using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["category_probabilities"]);
            var expected = model.PredictProba(row);
            var actual = results[0].GetTensorDataAsSpan<float>().ToArray();
            for (var c = 0; c < 13; c++)
            {
                Assert.Equal(expected[c], actual[c], Tolerance);
            }
        }
    }
}
