using ApartmentManager.Knowledge.Embeddings;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// <see cref="ITextEmbedder"/> served by the inference server. Vectors from different model versions do not live
/// in one space, so an answer whose model version or dimension differs from the local model's is refused and the
/// local model answers: the dense index and its queries always agree.
/// </summary>
public sealed class RemoteTextEmbedder(ITextEmbedder local, InferenceClient client, ILogger<RemoteTextEmbedder> logger) : ITextEmbedder
{
    public int Dimensions => local.Dimensions;

    public string ModelVersion => local.ModelVersion;

    public float[] Embed(string text) => EmbedMany([text])[0];

    public float[][] EmbedMany(IReadOnlyList<string> texts) => EmbedManyAsync(texts).GetAwaiter().GetResult();

    public async Task<float[][]> EmbedManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        // The server refuses empty texts; the local model answers them (the zero vector) without a round trip.
        if (texts.Count == 0 || local.Dimensions == 0 || texts.Any(string.IsNullOrWhiteSpace))
        {
            return local.EmbedMany(texts);
        }
        try
        {
            var (vectors, version, dims) = await client.EmbedAsync(texts, cancellationToken).ConfigureAwait(false);
            if (version != local.ModelVersion || dims != local.Dimensions)
            {
                throw new InferenceServerException($"Server embeds with {version} ({dims} dims), this host with {local.ModelVersion} ({local.Dimensions} dims).");
            }
            return vectors;
        }
        catch (Exception ex) when (InferenceFallback.ShouldFallBack(ex, cancellationToken))
        {
            InferenceFallback.LogFallback(logger, "embeddings", InferenceFallback.Reason(ex));
            return local.EmbedMany(texts);
        }
    }
}
