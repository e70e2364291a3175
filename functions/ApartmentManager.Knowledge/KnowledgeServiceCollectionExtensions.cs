using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded knowledge base, the shared sentence encoder (when its files exist) and the hybrid retriever as
    /// <see cref="IPolicyRetriever"/> and <see cref="IKnowledgeCatalog"/>, with <see cref="RetrieverOptions"/> bound
    /// from the <c>Retrieval</c> section.
    /// </summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RetrieverOptions>()
            .Bind(configuration.GetSection(RetrieverOptions.SectionName))
            .Validate(o => o.DefaultTop >= 1 && o.DefaultTop <= o.MaxTop, "Retrieval:DefaultTop must be between 1 and Retrieval:MaxTop.")
            .Validate(o => o.CandidatePool >= o.MaxTop, "Retrieval:CandidatePool must be at least Retrieval:MaxTop.")
            .Validate(o => o.RrfK > 0 && o.Bm25Weight >= 0 && o.DenseWeight >= 0, "Retrieval:RrfK must be positive and weights non-negative.")
            .ValidateOnStart();

        services.AddSentenceEncoder(configuration);
        services.TryAddSingleton(_ => KnowledgeBase.LoadEmbedded());
        services.TryAddSingleton(sp =>
        {
            return new HybridPolicyRetriever(
                sp.GetRequiredService<KnowledgeBase>(),
                CreateEmbedder(sp),
                sp.GetRequiredService<IOptions<RetrieverOptions>>(),
                sp.GetService<ILogger<HybridPolicyRetriever>>());
        });
        services.TryAddSingleton<IPolicyRetriever>(sp => sp.GetRequiredService<HybridPolicyRetriever>());
        services.TryAddSingleton<IKnowledgeCatalog>(sp => sp.GetRequiredService<HybridPolicyRetriever>());
        return services;
    }

    private static ITextEmbedder? CreateEmbedder(IServiceProvider sp)
    {
        if (!sp.GetRequiredService<IOptions<RetrieverOptions>>().Value.EnableDense)
        {
            return null;
        }
        try
        {
            // The in-process encoder itself, not the ITextEmbedder port (which a host may point at the model server):
            // the retrieval port is synchronous, and the encoder is the same on both sides.
            return sp.GetRequiredService<EncoderTextEmbedder>();
        }
        catch (FileNotFoundException ex)
        {
            // Retrieval still works on BM25 alone; the config endpoint reports denseEnabled = false.
            var logger = (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(KnowledgeServiceCollectionExtensions).FullName!) ?? NullLogger.Instance;
            logger.LogWarning("Sentence encoder not found ({Reason}); retrieval runs on BM25 only", ex.Message);
            return null;
        }
    }
}
