using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Embeddings;
using ApartmentManager.Knowledge.Retrieval;
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
    /// Registers the embedded knowledge base, the ONNX embedder (when its files exist) and the hybrid retriever as
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

        services.TryAddSingleton(_ => KnowledgeBase.LoadEmbedded());
        services.TryAddSingleton<ITextEmbedder>(sp => CreateEmbedder(sp) ?? (ITextEmbedder)NullEmbedder.Instance);
        services.TryAddSingleton(sp =>
        {
            var embedder = sp.GetRequiredService<ITextEmbedder>();
            return new HybridPolicyRetriever(
                sp.GetRequiredService<KnowledgeBase>(),
                embedder is NullEmbedder ? null : embedder,
                sp.GetRequiredService<IOptions<RetrieverOptions>>(),
                sp.GetService<ILogger<HybridPolicyRetriever>>());
        });
        services.TryAddSingleton<IPolicyRetriever>(sp => sp.GetRequiredService<HybridPolicyRetriever>());
        services.TryAddSingleton<IKnowledgeCatalog>(sp => sp.GetRequiredService<HybridPolicyRetriever>());
        return services;
    }

    private static OnnxTextEmbedder? CreateEmbedder(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<RetrieverOptions>>().Value;
        var logger = (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(KnowledgeServiceCollectionExtensions).FullName!) ?? NullLogger.Instance;
        if (!options.EnableDense)
        {
            return null;
        }

        var model = RetrieverOptions.Resolve(options.ModelPath);
        var vocabulary = RetrieverOptions.Resolve(options.VocabularyPath);
        if (!File.Exists(model) || !File.Exists(vocabulary))
        {
            // Retrieval still works on BM25 alone; the config endpoint reports denseEnabled = false.
            logger.LogWarning("Embedding model not found at {ModelPath} / {VocabularyPath}; retrieval runs on BM25 only", model, vocabulary);
            return null;
        }

        return OnnxTextEmbedder.Load(model, vocabulary);
    }

    /// <summary>Stands in for a missing model inside the container so the retriever can be built either way.</summary>
    private sealed class NullEmbedder : ITextEmbedder
    {
        public static readonly NullEmbedder Instance = new();

        public int Dimensions => 0;

        public string ModelVersion => "none";

        public float[] Embed(string text) => [];

        public float[][] EmbedMany(IReadOnlyList<string> texts) => [];
    }
}
