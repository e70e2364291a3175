namespace ApartmentManager.Llm;

/// <summary>The tasks the LLM is used for; each has its own route (fallback chain) and prompt.</summary>
public static class LlmTasks
{
    public const string Classification = "classification";
    public const string OptionDescription = "option_description";
    public const string ClarifyingQuestions = "clarifying_questions";
}

/// <summary>Configuration section "Llm".</summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>
    /// Per task, the models to try in order (names of registered models, e.g. Azure OpenAI deployments). A task without
    /// a route tries every registered model in registration order.
    /// </summary>
    public Dictionary<string, List<string>> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pins a prompt id to a version (default: the newest file).</summary>
    public Dictionary<string, int> PromptVersions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Answers kept in the response cache (0 turns it off).</summary>
    public int CacheCapacity { get; set; } = 10_000;

    /// <summary>How long a cached answer is reused.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);
}
