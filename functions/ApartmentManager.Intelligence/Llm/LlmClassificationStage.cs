using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Guardrails;
using ApartmentManager.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Intelligence.Llm;

/// <summary>The LLM's structured answer.</summary>
public sealed record LlmAnswer(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("urgency")] string Urgency,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("secondary_categories")] IReadOnlyList<string>? SecondaryCategories);

/// <summary>Outcome of asking the LLM: an answer, or why there is none, and the prompt template asked with.</summary>
public sealed record LlmOutcome(LlmAnswer? Answer, string? FailureReason, string? ModelId, PromptRef? Prompt = null);

/// <summary>
/// Stage (c): asks the LLM (through <see cref="ILlmRouter"/>: the classification route, its fallback chain and the
/// response cache) for a JSON-schema-constrained classification with the versioned <c>classification</c> prompt. The
/// message is redacted (PII) and stripped of injections before it is sent, fenced as data, and the answer is validated
/// against the taxonomy. Any failure (HTTP error, timeout, malformed JSON, unknown label) becomes a failure reason,
/// never an exception.
/// </summary>
public sealed class LlmClassificationStage(ILlmRouter router, PromptCatalog prompts, ILogger<LlmClassificationStage> logger)
{
    public const string PromptId = "classification";

    /// <summary>Over one chat client, with the shipped prompts (tests, simple hosts).</summary>
    public LlmClassificationStage(IChatClient chatClient, ILogger<LlmClassificationStage> logger)
        : this(LlmRouter.ForClient(chatClient), PromptCatalog.Default, logger)
    {
    }

    internal static string SystemPrompt => PromptCatalog.Default.Get(PromptId).System;

    private static readonly JsonElement Schema = BuildSchema();

    public async Task<LlmOutcome> AskAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var safe = PiiRedactor.Redact(PromptGuard.Neutralise(text).Text).Replace("<", "‹", StringComparison.Ordinal).Replace(">", "›", StringComparison.Ordinal);
        var prompt = prompts.Get(PromptId);
        var options = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = 200,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "classification", "Category and urgency of a resident message."),
        };
        var result = await router.CompleteAsync(
            new LlmCall(LlmTasks.Classification, prompt, new Dictionary<string, string> { ["message"] = safe }, options, timeout, t => Parse(t) is not null),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            logger.LogWarning("LLM classification gave no usable answer ({Reason}); falling back", result.FailureReason);
            return new LlmOutcome(null, result.FailureReason, result.Model, result.Prompt);
        }
        return new LlmOutcome(Parse(result.Text), null, result.ResponseModel ?? result.Model, result.Prompt);
    }

    /// <summary>Strictly parses and validates an answer; null when anything is off.</summary>
    internal static LlmAnswer? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            var answer = JsonSerializer.Deserialize<LlmAnswer>(json.Trim());
            if (answer is null || !Taxonomy.TryParseCategory(answer.Category, out _) || !Taxonomy.TryParseUrgency(answer.Urgency, out _)
                || !double.IsFinite(answer.Confidence) || answer.Confidence is < 0 or > 1)
            {
                return null;
            }
            return answer;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement BuildSchema()
    {
        var categories = JsonSerializer.Serialize(Taxonomy.CategoryNames);
        var urgencies = JsonSerializer.Serialize(Taxonomy.UrgencyNames);
        var schema = $$"""
        {
          "type": "object",
          "properties": {
            "category": { "type": "string", "enum": {{categories}} },
            "urgency": { "type": "string", "enum": {{urgencies}} },
            "confidence": { "type": "number", "minimum": 0, "maximum": 1 },
            "secondary_categories": { "type": "array", "items": { "type": "string", "enum": {{categories}} } }
          },
          "required": ["category", "urgency", "confidence", "secondary_categories"],
          "additionalProperties": false
        }
        """;
        using var doc = JsonDocument.Parse(schema);
        return doc.RootElement.Clone();
    }
}
