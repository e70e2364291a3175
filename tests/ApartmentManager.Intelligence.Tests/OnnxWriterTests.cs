using ApartmentManager.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>Models written by ApartmentManager.Onnx load in real ONNX Runtime sessions and compute what they should.</summary>
public sealed class OnnxWriterTests
{
    [Fact]
    public void Linear_softmax_classifier_matches_hand_computation()
    {
        float[] w = [1f, -1f, 0.5f, 2f, 0f, 1f]; // [3 features, 2 labels]
        float[] b = [0.1f, -0.2f];
        var model = OnnxModelBuilders.LinearSoftmaxClassifier("lin", 3, [new LinearHead("label", ["a", "b"], w, b)], "test-1");
        using var session = new InferenceSession(model.ToBytes());
        Assert.Equal("test-1", session.ModelMetadata.CustomMetadataMap["model_version"]);
        Assert.Equal("a,b", session.ModelMetadata.CustomMetadataMap["label_labels"]);

        float[] x = [1f, 2f, 3f];
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 3]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["label_logits", "label_probabilities"]);
        var logits = results[0].GetTensorDataAsSpan<float>().ToArray();
        var z0 = 1 * 1f + 2 * 0.5f + 3 * 0f + 0.1f;
        var z1 = 1 * -1f + 2 * 2f + 3 * 1f - 0.2f;
        Assert.Equal(z0, logits[0], 5);
        Assert.Equal(z1, logits[1], 5);
        var probs = results[1].GetTensorDataAsSpan<float>();
        Assert.Equal(1 / (1 + Math.Exp(z0 - z1)), probs[1], 5);
    }

    [Fact]
    public void Linear_classifier_reports_top_features_of_the_winning_label()
    {
        float[] w = [1f, -1f, 0.5f, 2f, 0f, 1f];
        var model = OnnxModelBuilders.LinearSoftmaxClassifier("lin", 3, [new LinearHead("label", ["a", "b"], w, [0f, 0f])], "t", topFeatures: 2);
        using var session = new InferenceSession(model.ToBytes());
        float[] x = [1f, 2f, 3f];
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 3]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["label_top_feature_indices", "label_top_feature_scores"]);
        // Label b wins (6.0 vs 2.0); its contributions are [-1, 4, 3].
        Assert.Equal([1L, 2L], results[0].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal([4f, 3f], results[1].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Tree_ensemble_matches_reference_evaluation_including_missing_values()
    {
        // Two trees, two targets; NaN goes to the false branch except where MissingGoesTrue.
        TreeNode[] t0 = [TreeNode.Split(0, 0.5f, 1, 2), TreeNode.Leaf(1f, 0f), TreeNode.Split(1, -1f, 3, 4, missingGoesTrue: true), TreeNode.Leaf(2f, 0.5f), TreeNode.Leaf(-3f, 1f)];
        TreeNode[] t1 = [TreeNode.Split(1, 10f, 1, 2), TreeNode.Leaf(0.25f, 0.25f), TreeNode.Leaf(-0.75f, 0f)];
        var ensemble = new TreeEnsemble(2, 2, [t0, t1], [0.1f, -0.1f]);
        var model = OnnxModelBuilders.TreeEnsembleRegressor("trees", ensemble, "trees-1", sigmoidOfTarget: 0);
        using var session = new InferenceSession(model.ToBytes());
        float[][] rows = [[0f, 0f], [1f, -5f], [1f, 50f], [float.NaN, float.NaN], [1f, float.NaN], [0.5f, 10f]];
        foreach (var row in rows)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(row, [1, 2]);
            using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["features"] = input }, ["margin", "probability"]);
            var expected = ensemble.Evaluate(row);
            var margin = results[0].GetTensorDataAsSpan<float>();
            Assert.Equal(expected[0], margin[0], 5);
            Assert.Equal(expected[1], margin[1], 5);
            Assert.Equal(1 / (1 + Math.Exp(-expected[0])), results[1].GetTensorDataAsSpan<float>()[0], 5);
        }
    }

    [Fact]
    public void Embedding_lookup_is_l2_normalised_weighted_mean()
    {
        float[] table = [0, 0, 1, 0, 0, 1, 3, 4]; // 4 rows of dim 2
        var model = OnnxModelBuilders.EmbeddingLookup("emb", table, 4, 2, "emb-1");
        using var session = new InferenceSession(model.ToBytes());
        long[] ids = [1, 2, 0, 3, 0, 0];
        float[] weights = [1f, 3f, 0f, 2f, 0f, 0f];
        using var idValue = OrtValue.CreateTensorValueFromMemory(ids, [2, 3]);
        using var wValue = OrtValue.CreateTensorValueFromMemory(weights, [2, 3]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["input_ids"] = idValue, ["weights"] = wValue }, ["embedding"]);
        var e = results[0].GetTensorDataAsSpan<float>().ToArray();
        // Row 0: (1*[1,0] + 3*[0,1]) / 4 → normalised [1,3]/sqrt(10).
        Assert.Equal(1 / Math.Sqrt(10), e[0], 5);
        Assert.Equal(3 / Math.Sqrt(10), e[1], 5);
        // Row 1: [3,4] → [0.6, 0.8].
        Assert.Equal(0.6, e[2], 5);
        Assert.Equal(0.8, e[3], 5);
    }

    [Fact]
    public void Serialisation_is_deterministic()
    {
        var a = OnnxModelBuilders.EmbeddingLookup("emb", [1, 2, 3, 4], 2, 2, "v").ToBytes();
        var b = OnnxModelBuilders.EmbeddingLookup("emb", [1, 2, 3, 4], 2, 2, "v").ToBytes();
        Assert.Equal(a, b);
    }
}
