using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Guardrails;
using ApartmentManager.Intelligence.Llm;
using ApartmentManager.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Pipeline;

/// <summary>A clarifying question's wording and, when an LLM phrased it, the prompt template it was phrased with.</summary>
public sealed record PhrasedQuestion(string Text, PromptRef? Prompt);

/// <summary>
/// Words the clarifying question. The question bank decides what to ask (<see cref="QuestionBank.Ambiguity"/>) and
/// has its own wording; when an LLM is configured, the <c>clarifying_questions</c> route phrases the same question in
/// the resident's words and language with the versioned <c>clarifying-questions</c> prompt (through the router: its
/// fallback chain, response cache, token metering and the request's usage). The message is redacted and stripped of
/// injections before it is sent. Any failure — no model, over the resident's LLM budget, an error, a timeout, an
/// answer that is not one short question — keeps the bank's wording; nothing here ever fails the step.
/// </summary>
public sealed partial class QuestionPhraser(ILlmRouter router, PromptCatalog prompts, ILogger<QuestionPhraser> logger, LlmTokenBudget? budget = null)
{
    public const string PromptId = "clarifying-questions";
    public const int MaxLength = 300;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<PhrasedQuestion> PhraseAsync(ResidentRequest request, string reason, int number, Classification classification, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(classification);
        var bank = new PhrasedQuestion(QuestionBank.Text(reason, number, classification), null);
        if (!router.IsAvailable)
        {
            return bank;
        }
        if (budget is not null && !budget.TryReserve(request.ResidentId, budget.EstimatedTokensPerCall))
        {
            LogKept(request.Id, "over the resident's LLM budget");
            return bank;
        }
        try
        {
            var safe = PiiRedactor.Redact(PromptGuard.Neutralise(request.TriageText).Text)
                .Replace("<", "‹", StringComparison.Ordinal).Replace(">", "›", StringComparison.Ordinal);
            var result = await router.CompleteAsync(new LlmCall(LlmTasks.ClarifyingQuestions, prompts.Get(PromptId),
                new Dictionary<string, string>
                {
                    ["message"] = safe,
                    ["need"] = QuestionBank.Need(reason, number),
                    ["guess"] = QuestionBank.Guess(classification),
                },
                new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 120 }, Timeout, IsOneQuestion), ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                LogKept(request.Id, result.FailureReason ?? "no answer");
                return bank;
            }
            return new PhrasedQuestion(result.Text!, result.Prompt);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogKept(request.Id, e.GetType().Name);
            return bank;
        }
    }

    /// <summary>One short question: a question mark, no markup, no link, no list, not a JSON answer.</summary>
    internal static bool IsOneQuestion(string text) =>
        text.Length is >= 10 and <= MaxLength
        && (text.Contains('?', StringComparison.Ordinal) || text.Contains('？', StringComparison.Ordinal))
        && text.IndexOfAny(['<', '>', '{', '[', '`']) < 0
        && !text.Contains("http", StringComparison.OrdinalIgnoreCase)
        && text.Count(c => c == '\n') <= 1;

    [LoggerMessage(LogLevel.Warning, "Clarifying question for request {RequestId} keeps the question bank's wording: {Reason}")]
    private partial void LogKept(string requestId, string reason);
}
