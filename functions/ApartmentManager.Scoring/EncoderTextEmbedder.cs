namespace ApartmentManager.Scoring;

/// <summary>
/// <see cref="ITextEmbedder"/> on the in-process <see cref="SentenceEncoder"/>, behind an <see cref="EmbeddingCache"/>:
/// a message embedded for classification is not encoded again when retrieval or the model server asks for it.
/// Misses of one call are encoded together, sorted into length buckets. The work is synchronous CPU work; the
/// returned tasks are already complete.
/// </summary>
public sealed class EncoderTextEmbedder(SentenceEncoder encoder, EmbeddingCache cache, int maxBatchSize = 32) : ITextEmbedder
{
    public int Dimensions => SentenceEncoder.Dimensions;

    public string ModelVersion => encoder.Version;

    public SentenceEncoder Encoder => encoder;

    public EmbeddingCache Cache => cache;

    public ValueTask<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        var key = EmbeddingCache.KeyOf(text);
        if (!cache.TryGet(key, out var vector))
        {
            vector = encoder.Encode(text);
            cache.Add(key, vector);
        }
        return ValueTask.FromResult(vector);
    }

    public ValueTask<float[][]> EmbedManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(EmbedMany(texts, cancellationToken));

    /// <summary>The synchronous form, for callers that are synchronous themselves (retrieval behind a synchronous port).</summary>
    public float[][] EmbedMany(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        cancellationToken.ThrowIfCancellationRequested();
        var answers = new float[texts.Count][];
        var keys = new string[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = EmbeddingCache.KeyOf(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
            if (cache.TryGet(keys[i], out var cached))
            {
                answers[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }
        if (missing.Count > 0)
        {
            var vectors = encoder.Encode(missing.Select(i => texts[i]).ToArray(), maxBatchSize);
            for (var k = 0; k < missing.Count; k++)
            {
                answers[missing[k]] = vectors[k];
                cache.Add(keys[missing[k]], vectors[k]);
            }
        }
        return answers;
    }
}
