using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Intelligence.Risk.Training;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Onnx;

namespace ApartmentManager.Learning.Risk;

/// <summary>What retraining produced: the ONNX model and its version, the trees added, and how many outcomes they were trained on.</summary>
internal sealed record RetrainedRiskModel(byte[] Onnx, string ModelVersion, GbdtModel Added, int TrainOutcomes);

/// <summary>
/// Retrains the risk model on outcomes with the project's own trainer (<see cref="GradientBoostedTrees"/>) and exports
/// it like the configured model (<see cref="RiskModelExport"/>): boosting continues from the configured model (its
/// trees are read back from its ONNX file and each outcome's row starts at that model's log-odds), and the added trees
/// are fitted to what happened (escalated or not). The configured model is the prior: every leaf of an added tree is
/// shrunk as if the configured model's prediction there were worth <see cref="LearningOptions.RiskModelPriorWeight"/>
/// outcomes (L2 = weight × 0.2, an outcome's curvature at p ≈ 0.28), so few outcomes move it little. Every run starts
/// from the configured model and uses every outcome so far, as the recalibration starts from the configured priors.
/// </summary>
internal static class RiskRetrainer
{
    public const double CurvaturePerOutcome = 0.2;

    public static RetrainedRiskModel Train(IReadOnlyList<(OutcomeRecord Outcome, float[] Row)> train, byte[] configuredModel, string label, LearningOptions options)
    {
        var configured = TreeEnsembleReader.Read(configuredModel, RiskFeatureVector.Count);
        var x = train.Select(t => t.Row).ToList();
        var y = train.Select(t => t.Outcome.Escalated ? 1.0 : 0.0).ToList();
        var margin = x.Select(row => (double)configured.Evaluate(row)[0]).ToList();
        var added = GradientBoostedTrees.Train(x, y, null, new GradientBoostedTrees.Options(
            Trees: options.RiskTrees, MaxDepth: options.RiskMaxDepth, LearningRate: options.RiskLearningRate, MinLeaf: options.RiskMinLeaf,
            L2: Math.Max(1e-6, options.RiskModelPriorWeight * CurvaturePerOutcome), Subsample: 0.8, Seed: 7), margin);
        var onnx = RiskModelExport.ToOnnx(RiskModelExport.Continue(configured, added), label);
        return new RetrainedRiskModel(onnx.ToBytes(), onnx.Version, added, train.Count);
    }
}
