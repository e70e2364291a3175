using ApartmentManager.Scoring;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// <see cref="ITextEmbedder"/> served by the inference server. Vectors from different model versions do not live
/// in one space, so an answer whose model version or dimension differs from the local encoder's is refused and the
/// local encoder answers. (Retrieval itself always embeds in process: its port is synchronous and the encoder is
/// the same on both sides.)
/// </summary>
public sealed class RemoteTextEmbedder(ITextEmbedder local, InferenceClient client, ILogger<RemoteTextEmbedder> logger) : ITextEmbedder
{
    public int Dimensions => local.Dimensions;

    public string ModelVersion => local.ModelVersion;

    public async ValueTask<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default) =>
        (await EmbedManyAsync([text], cancellationToken).ConfigureAwait(false))[0];

    public async ValueTask<float[][]> EmbedManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        // The server refuses empty texts; the local encoder answers them without a round trip.
        if (texts.Count == 0 || texts.Any(string.IsNullOrWhiteSpace))
        {
            return await local.EmbedManyAsync(texts, cancellationToken).ConfigureAwait(false);
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
            return await local.EmbedManyAsync(texts, cancellationToken).ConfigureAwait(false);
        }
    }
}
