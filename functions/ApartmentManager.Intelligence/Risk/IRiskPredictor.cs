using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>Probability that a request escalates within 14 days (damage, safety incident or formal complaint).</summary>
public interface IRiskPredictor
{
    string ModelVersion { get; }

    RiskAssessment Predict(RiskFeatures features);

    /// <summary>One ONNX Runtime call for the whole batch; results in input order.</summary>
    IReadOnlyList<RiskAssessment> PredictBatch(IReadOnlyList<RiskFeatures> features);
}
