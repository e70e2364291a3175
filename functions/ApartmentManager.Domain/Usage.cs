namespace ApartmentManager.Domain;

/// <summary>Tokens one model spent on a request (and how many of its answers came from the response cache).</summary>
public sealed record ModelTokenUsage(string Model, long PromptTokens, long CompletionTokens, int Calls, int CachedCalls = 0);

/// <summary>
/// The work a request cost: LLM tokens per model, model-server time and simulation CPU time. Added to by every step
/// that does such work, in the same write as the step's result. Shown to admins only.
/// </summary>
public sealed record RequestUsage(IReadOnlyList<ModelTokenUsage> Llm, double ModelServerMs, double SimulationCpuMs)
{
    public static readonly RequestUsage Empty = new([], 0, 0);

    public bool IsEmpty => Llm.Count == 0 && ModelServerMs == 0 && SimulationCpuMs == 0;

    public long PromptTokens => Llm.Sum(m => m.PromptTokens);
    public long CompletionTokens => Llm.Sum(m => m.CompletionTokens);

    /// <summary>The sum of two usages, models merged by name (ordinal), in name order.</summary>
    public RequestUsage Plus(RequestUsage other) => new(
        [.. Llm.Concat(other.Llm)
            .GroupBy(m => m.Model, StringComparer.Ordinal)
            .Select(g => new ModelTokenUsage(g.Key, g.Sum(m => m.PromptTokens), g.Sum(m => m.CompletionTokens), g.Sum(m => m.Calls), g.Sum(m => m.CachedCalls)))
            .OrderBy(m => m.Model, StringComparer.Ordinal)],
        ModelServerMs + other.ModelServerMs,
        SimulationCpuMs + other.SimulationCpuMs);
}

/// <summary>Which prompt template (file id and version) produced an LLM-assisted result.</summary>
public sealed record PromptRef(string Id, string Version);
