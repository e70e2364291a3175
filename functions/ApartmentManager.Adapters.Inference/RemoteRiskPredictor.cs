using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// <see cref="IRiskPredictor"/> served by the inference server, the in-process predictor answering whenever the
/// server cannot. Asynchronous end to end: no thread waits on the HTTP call.
/// </summary>
public sealed class RemoteRiskPredictor(IRiskPredictor local, InferenceClient client, ILogger<RemoteRiskPredictor> logger) : IRiskPredictor
{
    public string ModelVersion => local.ModelVersion;

    public async Task<RiskAssessment> PredictAsync(RiskFeatures features, CancellationToken cancellationToken = default) =>
        (await PredictBatchAsync([features], cancellationToken).ConfigureAwait(false))[0];

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
            return await local.PredictBatchAsync(features, cancellationToken).ConfigureAwait(false);
        }
    }
}
