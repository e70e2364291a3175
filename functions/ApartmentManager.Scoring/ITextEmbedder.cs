namespace ApartmentManager.Scoring;

/// <summary>Turns text into a unit-length vector (cosine similarity = dot product). Used by classification and retrieval.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }

    string ModelVersion { get; }

    ValueTask<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Embeds many texts (batched by length); answers in input order.</summary>
    ValueTask<float[][]> EmbedManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
