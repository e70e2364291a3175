using ApartmentManager.Inference.Server.Batching;
using ApartmentManager.Scoring;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>
/// Embeddings on the server: the cache first (SHA-256 of the normalised text), then the misses tokenised and sent,
/// grouped by token count, to one <see cref="DynamicBatcher{TIn,TOut}"/> per length bucket, so concurrent requests
/// of similar length share a session call padded only to their bucket. Answers in input order.
/// </summary>
/// <param name="sessionCalls">The session calls the bucket batchers share (disposed with the service); null when they have their own.</param>
public sealed class EncoderService(EncoderModel model, IReadOnlyList<int> bucketLimits, IReadOnlyList<DynamicBatcher<EncoderTokens, float[]>> batchers, EmbeddingCache cache,
    SemaphoreSlim? sessionCalls = null)
    : IAsyncDisposable
{
    public EncoderModel Model => model;

    public EmbeddingCache Cache => cache;

    public IReadOnlyList<DynamicBatcher<EncoderTokens, float[]>> Batchers => batchers;

    /// <summary>The bucket of a row of <paramref name="tokens"/> word pieces: the first limit that holds it, else the last.</summary>
    public int BucketOf(int tokens)
    {
        for (var b = 0; b < bucketLimits.Count; b++)
        {
            if (tokens <= bucketLimits[b])
            {
                return b;
            }
        }
        return bucketLimits.Count - 1;
    }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var answers = new float[texts.Count][];
        var keys = new string[texts.Count];
        var misses = new List<(int Index, EncoderTokens Tokens)>();
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = EmbeddingCache.KeyOf(texts[i]);
            if (cache.TryGet(keys[i], out var hit))
            {
                answers[i] = hit;
            }
            else
            {
                misses.Add((i, model.Prepare(texts[i])));
            }
        }
        if (misses.Count == 0)
        {
            return answers;
        }
        var groups = misses.GroupBy(m => BucketOf(m.Tokens.Length)).ToList();
        var pending = groups.Select(g => batchers[g.Key].SubmitAsync(g.Select(m => m.Tokens).ToArray(), cancellationToken)).ToArray();
        var results = await Task.WhenAll(pending).ConfigureAwait(false);
        for (var g = 0; g < groups.Count; g++)
        {
            var k = 0;
            foreach (var (index, _) in groups[g])
            {
                answers[index] = results[g][k++];
                cache.Add(keys[index], answers[index]);
            }
        }
        return answers;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var batcher in batchers)
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
        }
        sessionCalls?.Dispose();
    }
}
