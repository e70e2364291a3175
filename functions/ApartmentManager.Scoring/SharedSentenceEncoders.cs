using System.Collections.Concurrent;

namespace ApartmentManager.Scoring;

/// <summary>
/// One <see cref="SentenceEncoder"/> and one <see cref="EmbeddingCache"/> per process and configuration. The model is
/// immutable and its session thread-safe, so every host, retriever and server built in the same process (the test
/// runs build dozens) shares one 90 MB session and one cache instead of loading and re-encoding the knowledge base
/// each time. They live as long as the process; nothing disposes them.
/// </summary>
public static class SharedSentenceEncoders
{
    private static readonly ConcurrentDictionary<string, Lazy<EncoderTextEmbedder>> Instances = new(StringComparer.Ordinal);

    public static EncoderTextEmbedder Get(string directory, OnnxSessionSettings settings, int maxTokens, int maxBatchSize, int cacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var key = string.Join('|', Path.GetFullPath(directory), settings, maxTokens, maxBatchSize, cacheCapacity);
        var lazy = Instances.GetOrAdd(key, _ => new Lazy<EncoderTextEmbedder>(
            () => new EncoderTextEmbedder(new SentenceEncoder(directory, settings, maxTokens), new EmbeddingCache(cacheCapacity), maxBatchSize)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A missing file is not cached: a later call (after a build) may succeed.
            Instances.TryRemove(new KeyValuePair<string, Lazy<EncoderTextEmbedder>>(key, lazy));
            throw;
        }
    }

    public static EncoderTextEmbedder Get(EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Get(options.ResolveDirectory(), new OnnxSessionSettings { IntraOpThreads = options.IntraOpThreads, ConfigurationHint = "Encoder:Directory" },
            options.MaxTokens, options.MaxBatchSize, options.CacheCapacity);
    }

    /// <summary>The default build output location with default settings (tests and tools).</summary>
    public static EncoderTextEmbedder Default => Get(new EncoderOptions());
}
