using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>Probability that a request escalates within 14 days (damage, safety incident or formal complaint).</summary>
public interface IRiskPredictor
{
    string ModelVersion { get; }

    Task<RiskAssessment> PredictAsync(RiskFeatures features, CancellationToken cancellationToken = default);

    /// <summary>One model call for the whole batch; results in input order.</summary>
    Task<IReadOnlyList<RiskAssessment>> PredictBatchAsync(IReadOnlyList<RiskFeatures> features, CancellationToken cancellationToken = default);
}
