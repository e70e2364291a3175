using ApartmentManager.Intelligence.Risk.Training;
using ApartmentManager.Learning.Outcomes;

namespace ApartmentManager.Learning.Risk;

/// <summary>What retraining produced: the ONNX model and its version, and the trainer's own model (for checks).</summary>
internal sealed record RetrainedRiskModel(byte[] Onnx, string ModelVersion, GbdtModel Model, int TrainOutcomes);

/// <summary>
/// Retrains the risk model on outcomes with the project's own trainer (<see cref="GradientBoostedTrees"/>) and exports
/// it like the configured model (<see cref="RiskModelExport"/>). The training set is each outcome's kept input row
/// twice: once with what happened (escalated or not, weight 1) and once with the active model's own probability as a
/// soft label, the copies together worth <see cref="LearningOptions.RiskModelPriorWeight"/> outcomes. So a few outcomes
/// move the model little from the one in use, and many move it to what the outcomes say.
/// </summary>
internal static class RiskRetrainer
{
    public static RetrainedRiskModel Train(IReadOnlyList<(OutcomeRecord Outcome, float[] Row)> train, RiskBase current, string label, LearningOptions options)
    {
        int n = train.Count;
        var x = new List<float[]>(2 * n);
        var y = new List<double>(2 * n);
        var w = new List<double>(2 * n);
        double priorWeight = options.RiskModelPriorWeight / n;
        foreach (var (outcome, row) in train)
        {
            x.Add(row);
            y.Add(outcome.Escalated ? 1 : 0);
            w.Add(1);
            if (priorWeight > 0)
            {
                x.Add(row);
                y.Add(current.Of(outcome));
                w.Add(priorWeight);
            }
        }
        var model = GradientBoostedTrees.Train(x, y, w, new GradientBoostedTrees.Options(
            Trees: options.RiskTrees, MaxDepth: options.RiskMaxDepth, MinLeaf: options.RiskMinLeaf, Subsample: 0.8, Seed: 7));
        var onnx = RiskModelExport.ToOnnx(model, label);
        return new RetrainedRiskModel(onnx.ToBytes(), onnx.Version, model, n);
    }
}
