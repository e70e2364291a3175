namespace ApartmentManager.Onnx;

/// <summary>
/// A node of a binary decision tree. Internal nodes send x[FeatureId] &lt;= Threshold to <see cref="TrueChild"/>,
/// everything else (NaN included, unless <see cref="MissingGoesTrue"/>) to <see cref="FalseChild"/>.
/// Leaves carry one weight per target.
/// </summary>
public sealed record TreeNode(
    int FeatureId,
    float Threshold,
    int TrueChild,
    int FalseChild,
    float[]? LeafWeights,
    bool MissingGoesTrue = false)
{
    public bool IsLeaf => LeafWeights is not null;

    public static TreeNode Leaf(params float[] weights) => new(0, 0f, -1, -1, weights);
    public static TreeNode Split(int feature, float threshold, int trueChild, int falseChild, bool missingGoesTrue = false) =>
        new(feature, threshold, trueChild, falseChild, null, missingGoesTrue);
}

/// <summary>A sum of trees; node 0 of each tree is its root.</summary>
public sealed record TreeEnsemble(int FeatureCount, int TargetCount, IReadOnlyList<IReadOnlyList<TreeNode>> Trees, float[] BaseValues)
{
    /// <summary>Reference evaluation with ONNX Runtime's semantics (float comparisons, sum over trees).</summary>
    public float[] Evaluate(ReadOnlySpan<float> features)
    {
        var result = new double[TargetCount];
        for (var t = 0; t < TargetCount; t++)
        {
            result[t] = BaseValues[t];
        }
        foreach (var tree in Trees)
        {
            var node = tree[0];
            while (!node.IsLeaf)
            {
                var x = features[node.FeatureId];
                var goTrue = x <= node.Threshold || (node.MissingGoesTrue && float.IsNaN(x));
                node = tree[goTrue ? node.TrueChild : node.FalseChild];
            }
            for (var t = 0; t < TargetCount; t++)
            {
                result[t] += node.LeafWeights![t];
            }
        }
        return Array.ConvertAll(result, v => (float)v);
    }
}
