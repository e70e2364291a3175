using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Guardrails;
using ApartmentManager.Intelligence.Llm;
using ApartmentManager.Intelligence.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// Three stages: rules and the trained text model always (in process, no network; <see cref="TextModelStage"/>:
/// classification heads over the sentence encoder for English, the n-gram model otherwise); the LLM only when their
/// confidence is below <see cref="IntelligenceOptions.LlmConfidenceThreshold"/> and an LLM is registered.
/// Every stage sees the message only after <see cref="PromptGuard"/> removed instruction-like content.
/// </summary>
public sealed class RequestClassifier : IRequestClassifier
{
    private readonly OnnxTextModel _model;
    private readonly TextModelStage _stage;
    private readonly RulesEngine _rules;
    private readonly LlmClassificationStage? _llm;
    private readonly IntelligenceOptions _options;
    private readonly ILogger<RequestClassifier> _logger;
    private readonly LlmTokenBudget? _budget;

    public RequestClassifier(OnnxTextModel model, IOptions<IntelligenceOptions> options, LlmClassificationStage? llm = null,
        ILogger<RequestClassifier>? logger = null, RulesEngine? rules = null, LlmTokenBudget? budget = null, TextModelStage? stage = null)
    {
        _budget = budget;
        _model = model;
        _stage = stage ?? new TextModelStage(model, null, null, rules);
        _options = options.Value;
        _llm = llm;
        _rules = rules ?? RulesEngine.Default;
        _logger = logger ?? NullLogger<RequestClassifier>.Instance;
    }

    public string ModelVersion => _model.Version;

    public async Task<Classification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        (await ClassifyBatchAsync([text], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<Classification>> ClassifyBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count > _options.MaxBatchSize)
        {
            throw new ArgumentException($"At most {_options.MaxBatchSize} messages per batch.", nameof(texts));
        }
        var guarded = texts.Select(t => PromptGuard.Neutralise(t ?? throw new ArgumentException("A message is null.", nameof(texts)))).ToArray();
        var answers = await _stage.ScoreAsync(guarded.Select(g => g.Text).ToArray(), cancellationToken).ConfigureAwait(false);
        var results = new Classification[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var rules = _rules.Evaluate(guarded[i].Text);
            results[i] = ClassificationCombiner.Combine(rules, answers[i].Output, guarded[i], _options.EmergencyProbabilityThreshold, answers[i].ModelVersion, _rules);
            if (guarded[i].InjectionFound)
            {
                _logger.LogWarning("Removed instruction-like content from a message: {Findings}", string.Join(",", guarded[i].Findings));
            }
        }

        if (_llm is not null)
        {
            var unsure = Enumerable.Range(0, results.Length).Where(i => results[i].Confidence < _options.LlmConfidenceThreshold).ToList();
            // Concurrent calls, each with its own timeout; each falls back on its own.
            var asked = await Task.WhenAll(unsure.Select(i => AskLlmAsync(results[i], guarded[i], cancellationToken))).ConfigureAwait(false);
            for (var k = 0; k < unsure.Count; k++)
            {
                results[unsure[k]] = asked[k];
            }
        }
        return results;
    }

    private async Task<Classification> AskLlmAsync(Classification fallback, GuardedText guarded, CancellationToken cancellationToken)
    {
        // Over the caller's daily token budget: the rules and model's answer stands (the non-LLM path, not an error).
        var subject = LlmCaller.Current;
        if (_budget is not null && !_budget.TryReserve(subject, _budget.EstimatedTokensPerCall))
        {
            return fallback with { Evidence = [.. fallback.Evidence, "llm_skipped:budget"] };
        }
        LlmOutcome outcome;
        using (_budget is null ? null : await _budget.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            outcome = await _llm!.AskAsync(guarded.Text, TimeSpan.FromSeconds(_options.LlmTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        }
        if (outcome.Answer is not { } a)
        {
            return fallback with { Evidence = [.. fallback.Evidence, $"llm_fallback:{outcome.FailureReason}"] };
        }
        var category = Taxonomy.ParseCategory(a.Category);
        var urgency = Taxonomy.ParseUrgency(a.Urgency);
        // The LLM may not lower urgency below what the emergency/high cues established.
        var floor = _rules.Evaluate(guarded.Text).UrgencyFloor;
        if (floor is { } f && f > urgency)
        {
            urgency = f;
        }
        // When the LLM and the rules and model disagree on urgency, neither wins alone: the decision goes to a manager.
        var llmUrgency = Taxonomy.ParseUrgency(a.Urgency);
        var disagreement = llmUrgency != fallback.Urgency
            ? new[] { $"{ClassificationEvidence.UrgencyDisagreement}:llm={Taxonomy.Name(llmUrgency)},rules={Taxonomy.Name(fallback.Urgency)}" }
            : [];
        var secondary = (a.SecondaryCategories ?? [])
            .Select(s => Taxonomy.TryParseCategory(s, out var c) ? c : (Category?)null)
            .OfType<Category>().Where(c => c != category).Distinct().Take(2).ToList();
        return new Classification(category, urgency, Math.Round(a.Confidence, 4), secondary,
            [.. fallback.Evidence, .. disagreement, $"llm:{outcome.ModelId ?? "unknown"}", $"before_llm:{Taxonomy.Name(fallback.Category)}/{Taxonomy.Name(fallback.Urgency)}@{fallback.Confidence:0.00}"],
            Stages.Llm, $"{_model.Version}+llm:{outcome.ModelId ?? "unknown"}", outcome.Prompt);
    }
}
