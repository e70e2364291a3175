using ApartmentManager.Llm;
using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.AzureOpenAI;

public static class AzureOpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> for the "AzureOpenAI" section when Endpoint and Deployment are set;
    /// does nothing otherwise, so hosts can call it unconditionally and run without an LLM.
    /// </summary>
    public static IServiceCollection AddAzureOpenAIChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AzureOpenAIOptions.SectionName);
        var options = section.Get<AzureOpenAIOptions>() ?? new AzureOpenAIOptions();
        if (!options.IsConfigured)
        {
            return services;
        }
        services.AddOptions<AzureOpenAIOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IChatClient>(sp => CreateChatClient(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value));
        // One model per deployment for the LLM router: the main one (the same client as IChatClient), then the fallbacks.
        services.AddSingleton(sp => new LlmModel(options.Deployment!, sp.GetRequiredService<IChatClient>()));
        foreach (var deployment in options.FallbackDeployments.Where(d => !string.IsNullOrWhiteSpace(d) && d != options.Deployment).Distinct(StringComparer.Ordinal))
        {
            services.AddSingleton(sp => new LlmModel(deployment,
                CreateChatClient(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value, deployment)));
        }
        return services;
    }

    /// <summary>Builds the client directly (used by the registration and by tests).</summary>
    public static IChatClient CreateChatClient(AzureOpenAIOptions options) => CreateChatClient(options, options.Deployment);

    /// <summary>A client for <paramref name="deployment"/> on the configured resource.</summary>
    public static IChatClient CreateChatClient(AzureOpenAIOptions options, string? deployment)
    {
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("AzureOpenAI:Endpoint and AzureOpenAI:Deployment are required.");
        }
        var clientOptions = new AzureOpenAIClientOptions
        {
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new RetryAfterPolicy(options),
        };
        var client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? new AzureOpenAIClient(options.Endpoint!, new DefaultAzureCredential(), clientOptions)
            : new AzureOpenAIClient(options.Endpoint!, new ApiKeyCredential(options.ApiKey), clientOptions);
        return client.GetChatClient(deployment ?? options.Deployment!).AsIChatClient();
    }
}
