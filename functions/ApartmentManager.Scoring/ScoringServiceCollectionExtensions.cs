using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Scoring;

public static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SentenceEncoder"/> (one ONNX session per process), its <see cref="EmbeddingCache"/> and
    /// the in-process <see cref="ITextEmbedder"/>, bound to the "Encoder" section. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSentenceEncoder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EncoderOptions>()
            .Bind(configuration.GetSection(EncoderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<EncoderOptions>>().Value;
            return new SentenceEncoder(o.ResolveDirectory(), new OnnxSessionSettings { IntraOpThreads = o.IntraOpThreads, ConfigurationHint = "Encoder:Directory" }, o.MaxTokens);
        });
        services.TryAddSingleton(sp => new EmbeddingCache(sp.GetRequiredService<IOptions<EncoderOptions>>().Value.CacheCapacity));
        services.TryAddSingleton(sp => new EncoderTextEmbedder(
            sp.GetRequiredService<SentenceEncoder>(), sp.GetRequiredService<EmbeddingCache>(), sp.GetRequiredService<IOptions<EncoderOptions>>().Value.MaxBatchSize));
        services.TryAddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<EncoderTextEmbedder>());
        return services;
    }
}
