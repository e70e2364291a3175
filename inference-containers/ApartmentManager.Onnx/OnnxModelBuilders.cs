namespace ApartmentManager.Onnx;

/// <summary>Ready-made graphs. Input and output names are part of the contract with model servers.</summary>
public static class OnnxModelBuilders
{
    /// <summary>
    /// Linear softmax classifier with one or more heads over a dense feature vector.
    /// Input "features" float [batch, featureCount]; per head: "{name}_logits" and "{name}_probabilities"
    /// float [batch, labels]. Labels are stored in metadata "{name}_labels" (comma separated).
    /// </summary>
    /// <remarks>
    /// With <paramref name="topFeatures"/> &gt; 0 each head also explains its winning label: "{name}_top_feature_indices"
    /// int64 and "{name}_top_feature_scores" float [batch, topFeatures] are the feature columns with the largest
    /// feature × weight products for the argmax label (used as evidence without shipping the weights twice).
    /// <paramref name="explainHeads"/> limits that to the named heads (the explanation costs more than the scoring).
    /// </remarks>
    public static OnnxModel LinearSoftmaxClassifier(string graphName, int featureCount, IReadOnlyList<LinearHead> heads, string version, string? docString = null, int topFeatures = 0, IReadOnlyCollection<string>? explainHeads = null)
    {
        var g = new OnnxGraphBuilder(graphName);
        g.AddInput("features", OnnxElementType.Float, "batch", featureCount);
        var model = new OnnxModel(g, version) { DocString = docString };
        foreach (var head in heads)
        {
            var c = head.Labels.Count;
            if (head.Weights.Length != featureCount * c || head.Bias.Length != c)
            {
                throw new ArgumentException($"Head '{head.Name}' needs {featureCount}x{c} weights and {c} biases.");
            }
            var w = g.AddInitializer(OnnxTensor.Float($"{head.Name}_weight", head.Weights, featureCount, c));
            var b = g.AddInitializer(OnnxTensor.Float($"{head.Name}_bias", head.Bias, c));
            var mm = g.AddNode("MatMul", ["features", w], $"{head.Name}_matmul");
            var logits = g.AddNode("Add", [mm, b], $"{head.Name}_logits");
            g.AddNode("Softmax", [logits], $"{head.Name}_probabilities", OnnxAttribute.Int("axis", -1));
            g.AddOutput(logits, OnnxElementType.Float, "batch", c);
            g.AddOutput($"{head.Name}_probabilities", OnnxElementType.Float, "batch", c);
            model.Metadata[$"{head.Name}_labels"] = string.Join(",", head.Labels);
            if (topFeatures > 0 && (explainHeads is null || explainHeads.Contains(head.Name)))
            {
                var k = g.AddInitializer(OnnxTensor.Int64($"{head.Name}_topk", [Math.Min(topFeatures, featureCount)], 1));
                var winner = g.AddNode("ArgMax", [logits], $"{head.Name}_argmax", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
                // A transposed copy of the weights makes the winner's column one contiguous row: a cheap Gather
                // instead of a strided gather plus a transpose on every call.
                var transposed = new float[head.Weights.Length];
                for (var f = 0; f < featureCount; f++)
                {
                    for (var j = 0; j < c; j++)
                    {
                        transposed[j * featureCount + f] = head.Weights[f * c + j];
                    }
                }
                var wt = g.AddInitializer(OnnxTensor.Float($"{head.Name}_weight_t", transposed, c, featureCount));
                var rows = g.AddNode("Gather", [wt, winner], $"{head.Name}_winner_weights", OnnxAttribute.Int("axis", 0));
                var contributions = g.AddNode("Mul", ["features", rows], $"{head.Name}_contributions");
                g.AddNode("TopK", [contributions, k], [$"{head.Name}_top_feature_scores", $"{head.Name}_top_feature_indices"], "",
                    OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1));
                g.AddOutput($"{head.Name}_top_feature_indices", OnnxElementType.Int64, "batch", Math.Min(topFeatures, featureCount));
                g.AddOutput($"{head.Name}_top_feature_scores", OnnxElementType.Float, "batch", Math.Min(topFeatures, featureCount));
            }
        }
        return model;
    }

    /// <summary>
    /// ai.onnx.ml TreeEnsembleRegressor. Input "features" float [batch, featureCount]; output "<paramref name="outputName"/>"
    /// float [batch, targets]. With <paramref name="sigmoidOfTarget"/> set, also "probability" float [batch, 1] =
    /// sigmoid of that target (a plain Sigmoid op, so the logistic link is explicit in the graph).
    /// </summary>
    public static OnnxModel TreeEnsembleRegressor(
        string graphName, TreeEnsemble ensemble, string version, string outputName = "margin",
        int? sigmoidOfTarget = null, string? docString = null)
    {
        var g = new OnnxGraphBuilder(graphName);
        g.AddInput("features", OnnxElementType.Float, "batch", ensemble.FeatureCount);
        AddTreeEnsemble(g, ensemble, "features", outputName);
        g.AddOutput(outputName, OnnxElementType.Float, "batch", ensemble.TargetCount);
        if (sigmoidOfTarget is { } target)
        {
            var start = g.AddInitializer(OnnxTensor.Int64("slice_start", [target], 1));
            var end = g.AddInitializer(OnnxTensor.Int64("slice_end", [target + 1], 1));
            var axes = g.AddInitializer(OnnxTensor.Int64("slice_axes", [1], 1));
            var sliced = g.AddNode("Slice", [outputName, start, end, axes], "selected_margin");
            g.AddNode("Sigmoid", [sliced], "probability");
            g.AddOutput("probability", OnnxElementType.Float, "batch", 1);
        }
        return new OnnxModel(g, version) { DocString = docString };
    }

    /// <summary>Adds an ai.onnx.ml TreeEnsembleRegressor node to an existing graph.</summary>
    public static string AddTreeEnsemble(OnnxGraphBuilder g, TreeEnsemble ensemble, string input, string output)
    {
        List<long> treeIds = [], nodeIds = [], featureIds = [], trueIds = [], falseIds = [], missing = [];
        List<string> modes = [];
        List<float> values = [];
        List<long> tTree = [], tNode = [], tIds = [];
        List<float> tWeights = [];
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            for (var n = 0; n < tree.Count; n++)
            {
                var node = tree[n];
                treeIds.Add(t);
                nodeIds.Add(n);
                featureIds.Add(node.IsLeaf ? 0 : node.FeatureId);
                modes.Add(node.IsLeaf ? "LEAF" : "BRANCH_LEQ");
                values.Add(node.IsLeaf ? 0f : node.Threshold);
                trueIds.Add(node.IsLeaf ? 0 : node.TrueChild);
                falseIds.Add(node.IsLeaf ? 0 : node.FalseChild);
                missing.Add(node.MissingGoesTrue ? 1 : 0);
                if (node.IsLeaf)
                {
                    for (var k = 0; k < ensemble.TargetCount; k++)
                    {
                        var w = node.LeafWeights![k];
                        if (w == 0f)
                        {
                            continue;
                        }
                        tTree.Add(t);
                        tNode.Add(n);
                        tIds.Add(k);
                        tWeights.Add(w);
                    }
                }
            }
        }
        g.AddNode("TreeEnsembleRegressor", [input], [output], OnnxModel.MlDomain,
            OnnxAttribute.Int("n_targets", ensemble.TargetCount),
            OnnxAttribute.String("aggregate_function", "SUM"),
            OnnxAttribute.String("post_transform", "NONE"),
            OnnxAttribute.Floats("base_values", ensemble.BaseValues),
            OnnxAttribute.Ints("nodes_treeids", treeIds),
            OnnxAttribute.Ints("nodes_nodeids", nodeIds),
            OnnxAttribute.Ints("nodes_featureids", featureIds),
            OnnxAttribute.Strings("nodes_modes", modes),
            OnnxAttribute.Floats("nodes_values", values),
            OnnxAttribute.Ints("nodes_truenodeids", trueIds),
            OnnxAttribute.Ints("nodes_falsenodeids", falseIds),
            OnnxAttribute.Ints("nodes_missing_value_tracks_true", missing),
            OnnxAttribute.Ints("target_treeids", tTree),
            OnnxAttribute.Ints("target_nodeids", tNode),
            OnnxAttribute.Ints("target_ids", tIds),
            OnnxAttribute.Floats("target_weights", tWeights));
        return output;
    }

    /// <summary>
    /// Embedding lookup: inputs "input_ids" int64 [batch, tokens] and "weights" float [batch, tokens] (0 for padding);
    /// output "embedding" float [batch, dim] = L2-normalised weighted mean of the rows of <paramref name="table"/>
    /// (row-major [vocab, dim]). An all-zero row stays zero (the norm is floored at 1e-12).
    /// </summary>
    public static OnnxModel EmbeddingLookup(string graphName, float[] table, int vocabSize, int dim, string version, string? docString = null)
    {
        var g = new OnnxGraphBuilder(graphName);
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "tokens");
        g.AddInput("weights", OnnxElementType.Float, "batch", "tokens");
        var e = g.AddInitializer(OnnxTensor.Float("embedding_table", table, vocabSize, dim));
        var axis1 = g.AddInitializer(OnnxTensor.Int64("axis_1", [1], 1));
        var axis2 = g.AddInitializer(OnnxTensor.Int64("axis_2", [2], 1));
        var eps = g.AddInitializer(OnnxTensor.Scalar("epsilon", 1e-12f));
        var gathered = g.AddNode("Gather", [e, "input_ids"], "gathered", OnnxAttribute.Int("axis", 0));
        var w3 = g.AddNode("Unsqueeze", ["weights", axis2], "weights_3d");
        var weighted = g.AddNode("Mul", [gathered, w3], "weighted");
        var summed = g.AddNode("ReduceSum", [weighted, axis1], "summed", OnnxAttribute.Int("keepdims", 0));
        var wsum = g.AddNode("ReduceSum", ["weights", axis1], "weight_sum", OnnxAttribute.Int("keepdims", 1));
        var wsafe = g.AddNode("Max", [wsum, eps], "weight_sum_safe");
        var mean = g.AddNode("Div", [summed, wsafe], "mean");
        var sq = g.AddNode("Mul", [mean, mean], "squared");
        var ss = g.AddNode("ReduceSum", [sq, axis1], "sum_squares", OnnxAttribute.Int("keepdims", 1));
        var norm = g.AddNode("Sqrt", [ss], "norm");
        var nsafe = g.AddNode("Max", [norm, eps], "norm_safe");
        g.AddNode("Div", [mean, nsafe], "embedding");
        g.AddOutput("embedding", OnnxElementType.Float, "batch", dim);
        return new OnnxModel(g, version) { DocString = docString };
    }
}
