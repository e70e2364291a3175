using ApartmentManager.Observability.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// The prompt catalog, the response cache, the token ledger and the router over every registered <see cref="LlmModel"/>
    /// (an adapter registers one per deployment; a bare <see cref="IChatClient"/> counts as one model named "default").
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PromptCatalog)))
        {
            return services; // bound once: binding the route lists twice would repeat their entries
        }
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName))
            .Validate(o => o.CacheCapacity >= 0 && o.CacheTtl >= TimeSpan.Zero, "Llm:CacheCapacity and Llm:CacheTtl must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PromptCatalog(sp.GetRequiredService<IOptions<LlmOptions>>()));
        services.TryAddSingleton<ILlmTokenLedger, InMemoryLlmTokenLedger>();
        services.TryAddSingleton<ILlmResponseCache>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            return new InMemoryLlmResponseCache(o.CacheCapacity, o.CacheTtl, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<ILlmRouter>(sp =>
        {
            var models = sp.GetServices<LlmModel>().ToList();
            if (models.Count == 0 && sp.GetService<IChatClient>() is { } chat)
            {
                models.Add(new LlmModel("default", chat));
            }
            return new LlmRouter(models, sp.GetRequiredService<IOptions<LlmOptions>>().Value, sp.GetRequiredService<ILlmResponseCache>(),
                sp.GetRequiredService<ILlmTokenLedger>(), sp.GetRequiredService<ILogger<LlmRouter>>());
        });
        return services;
    }
}
