using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Guardrails;
using ApartmentManager.Intelligence.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// <see cref="IRequestClassifier"/> whose text-model stage runs on the inference server: the prompt guard and the
/// rules run here, the server scores the guarded texts, and <see cref="ClassificationCombiner"/> joins them exactly as
/// the in-process classifier does. When the server fails, the whole batch goes to the in-process classifier.
/// When an LLM is configured, the messages still unsure after rules + model are handed to the in-process classifier,
/// which owns the LLM stage.
/// </summary>
public sealed class RemoteRequestClassifier(
    IRequestClassifier local,
    InferenceClient client,
    IOptions<IntelligenceOptions> options,
    bool llmConfigured,
    ILogger<RemoteRequestClassifier> logger) : IRequestClassifier
{
    private readonly IntelligenceOptions _options = options.Value;

    public async Task<Classification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        (await ClassifyBatchAsync([text], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<Classification>> ClassifyBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count > _options.MaxBatchSize)
        {
            throw new ArgumentException($"At most {_options.MaxBatchSize} messages per batch.", nameof(texts));
        }
        if (texts.Count == 0)
        {
            return [];
        }
        var guarded = texts.Select(t => PromptGuard.Neutralise(t ?? throw new ArgumentException("A message is null.", nameof(texts)))).ToArray();
        IReadOnlyList<TextModelAnswer> outputs;
        try
        {
            outputs = await client.ScoreTextsAsync(guarded.Select(g => g.Text).ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (InferenceFallback.ShouldFallBack(ex, cancellationToken))
        {
            InferenceFallback.LogFallback(logger, "classify", InferenceFallback.Reason(ex));
            return await local.ClassifyBatchAsync(texts, cancellationToken).ConfigureAwait(false);
        }

        var results = new Classification[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            results[i] = ClassificationCombiner.Combine(RulesEngine.Default.Evaluate(guarded[i].Text), outputs[i].Output, guarded[i], _options.EmergencyProbabilityThreshold, outputs[i].ModelVersion);
        }
        if (llmConfigured)
        {
            var unsure = Enumerable.Range(0, results.Length).Where(i => results[i].Confidence < _options.LlmConfidenceThreshold).ToList();
            if (unsure.Count > 0)
            {
                var asked = await local.ClassifyBatchAsync(unsure.Select(i => texts[i]).ToArray(), cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < unsure.Count; k++)
                {
                    results[unsure[k]] = asked[k];
                }
            }
        }
        return results;
    }
}
