using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Adapters.AzureOpenAI;

/// <summary>Configuration section "AzureOpenAI". Without Endpoint and Deployment no chat client is registered.</summary>
public sealed class AzureOpenAIOptions
{
    public const string SectionName = "AzureOpenAI";

    /// <summary>e.g. https://my-resource.openai.azure.com/</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model deployment name.</summary>
    public string? Deployment { get; set; }

    /// <summary>
    /// More deployments on the same resource, each a model the LLM router can use (by name in <c>Llm:Routes</c>). By
    /// default every task tries <see cref="Deployment"/> first, then these in order.
    /// </summary>
    public List<string> FallbackDeployments { get; set; } = [];

    /// <summary>When set, key authentication; otherwise DefaultAzureCredential (managed identity in Azure). Keep it in Key Vault / user secrets.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Per-attempt network timeout.</summary>
    [Range(1, 600)]
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first attempt, on 408/429/5xx and transport errors.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Longest wait honoured from a Retry-After header; a longer ask is cut to this.</summary>
    [Range(0, 300)]
    public double MaxRetryDelaySeconds { get; set; } = 20;

    /// <summary>Back-off base when the server gives no Retry-After: base × 2^(try-1), with jitter.</summary>
    [Range(0, 60)]
    public double BaseRetryDelaySeconds { get; set; } = 0.8;

    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(Deployment);
}
