using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Scoring;

public static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-process <see cref="EncoderTextEmbedder"/> (one <see cref="SentenceEncoder"/> session and one
    /// <see cref="EmbeddingCache"/> per process) as itself and as <see cref="ITextEmbedder"/>, bound to the "Encoder"
    /// section. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSentenceEncoder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EncoderOptions>()
            .Bind(configuration.GetSection(EncoderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Process-wide (SharedSentenceEncoders): the container neither creates a second session nor disposes the shared one.
        services.TryAddSingleton(sp => SharedSentenceEncoders.Get(sp.GetRequiredService<IOptions<EncoderOptions>>().Value));
        services.TryAddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<EncoderTextEmbedder>());
        return services;
    }
}
