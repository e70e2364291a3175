using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Onnx;

namespace ApartmentManager.Learning.Tests;

public sealed class RiskModelFileTests
{
    [Fact]
    public void The_configured_risk_models_trees_read_back_from_its_file_give_what_ONNX_Runtime_gives()
    {
        var bytes = File.ReadAllBytes(new ApartmentManager.Intelligence.IntelligenceOptions().RiskModelPath);
        var ensemble = TreeEnsembleReader.Read(bytes, RiskFeatureVector.Count);
        Assert.Equal(RiskFeatureVector.Count + 2, ensemble.TargetCount);
        var rng = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            var row = new float[RiskFeatureVector.Count];
            for (int j = 0; j < RiskFeatureVector.NumericCount; j++)
            {
                row[j] = rng.NextDouble() < 0.15 ? float.NaN : (float)(rng.NextDouble() * new[] { 3, 4, 23, 6, 3, 80, 6, 4, 1, 400 }[j]);
            }
            row[RiskFeatureVector.NumericCount + rng.Next(RiskFeatureVector.Count - RiskFeatureVector.NumericCount)] = 1;
            return row;
        }).ToList();
        var onnx = KnownWorld.ConfiguredModel.PredictRows(rows);
        for (int i = 0; i < rows.Count; i++)
        {
            double margin = ensemble.Evaluate(rows[i])[0];
            Assert.Equal(onnx[i], 1 / (1 + Math.Exp(-margin)), 5);
        }
    }
}
