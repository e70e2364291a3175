using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// <see cref="IRiskPredictor"/> served by the inference server, the in-process predictor answering whenever the
/// server cannot. The interface is synchronous, so the sync members block on the HTTP call (bounded by the total
/// timeout); async callers should use <see cref="PredictBatchAsync"/>.
/// </summary>
public sealed class RemoteRiskPredictor(IRiskPredictor local, InferenceClient client, ILogger<RemoteRiskPredictor> logger) : IRiskPredictor
{
    public string ModelVersion => local.ModelVersion;

    public RiskAssessment Predict(RiskFeatures features) => PredictBatch([features])[0];

    public IReadOnlyList<RiskAssessment> PredictBatch(IReadOnlyList<RiskFeatures> features) =>
        PredictBatchAsync(features).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<RiskAssessment>> PredictBatchAsync(IReadOnlyList<RiskFeatures> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0)
        {
            return [];
        }
        try
        {
            return await client.PredictRiskAsync(features, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (InferenceFallback.ShouldFallBack(ex, cancellationToken))
        {
            InferenceFallback.LogFallback(logger, "risk", InferenceFallback.Reason(ex));
            return local.PredictBatch(features);
        }
    }
}
