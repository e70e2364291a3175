using System.Security.Cryptography;
using ApartmentManager.Onnx;

namespace ApartmentManager.Intelligence.Risk.Training;

/// <summary>
/// Writes a trained risk ensemble as risk-model.onnx is written: one ai.onnx.ml TreeEnsembleRegressor whose output
/// "margin" carries the log-odds, the bias and each feature's path contribution, "probability" its sigmoid, and the
/// feature names and level cut-offs as metadata (what <see cref="OnnxRiskPredictor"/> checks and explains with).
/// Used by the training command and by the learning engine's retraining, so both models have one format.
/// </summary>
public static class RiskModelExport
{
    public const string GraphName = "risk-model";

    /// <summary>"risk-gbdt/{label}+{hash of the trees}": a different ensemble always has a different version.</summary>
    public static string VersionOf(TreeEnsemble ensemble, string label)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var values = ensemble.Trees.SelectMany(t => t).SelectMany(n => n.LeafWeights ?? [n.Threshold, n.FeatureId]).ToArray();
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return $"risk-gbdt/{label}+{Convert.ToHexStringLower(sha.GetHashAndReset())[..8]}";
    }

    /// <summary>The ONNX model of <paramref name="model"/>, versioned <c>risk-gbdt/{label}+hash</c>.</summary>
    public static OnnxModel ToOnnx(GbdtModel model, string label) => ToOnnx(model.ToOnnxEnsemble(), label);

    /// <summary>
    /// The ensemble of a model in use with <paramref name="added"/> trees boosted on top of it (trained from its margins,
    /// base score 0): the old trees keep their outputs and explanations, the new ones add theirs.
    /// </summary>
    public static TreeEnsemble Continue(TreeEnsemble current, GbdtModel added)
    {
        var more = added.ToOnnxEnsemble();
        if (more.TargetCount != current.TargetCount || added.FeatureCount != current.FeatureCount)
        {
            throw new ArgumentException($"The added trees have {more.TargetCount} targets over {added.FeatureCount} features; the model has {current.TargetCount} over {current.FeatureCount}.");
        }
        var baseValues = current.BaseValues.Select((v, i) => v + more.BaseValues[i]).ToArray();
        return new TreeEnsemble(current.FeatureCount, current.TargetCount, [.. current.Trees, .. more.Trees], baseValues);
    }

    /// <summary>The ONNX model of a tree ensemble in the risk model's layout, versioned <c>risk-gbdt/{label}+hash</c>.</summary>
    public static OnnxModel ToOnnx(TreeEnsemble ensemble, string label)
    {
        var version = VersionOf(ensemble, label);
        var onnx = OnnxModelBuilders.TreeEnsembleRegressor(GraphName, ensemble, version, "margin", sigmoidOfTarget: 0,
            docString: "Gradient-boosted trees (log-loss) predicting escalation within 14 days. margin[:,0]=log-odds, margin[:,1]=bias, margin[:,2+f]=contribution of feature f; probability=sigmoid(margin[:,0]).");
        onnx.Metadata["feature_names"] = string.Join(",", RiskFeatureVector.Names);
        onnx.Metadata["level_cutoffs"] = $"low<{RiskLevels.Medium}<=medium<{RiskLevels.High}<=high<{RiskLevels.Critical}<=critical";
        return onnx;
    }
}
