namespace ApartmentManager.Knowledge.Embeddings;

/// <summary>Turns text into a unit-length vector; texts with no known term give the zero vector.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }

    string ModelVersion { get; }

    float[] Embed(string text);

    /// <summary>Embeds many texts in one model call (used to index the chunks at start-up).</summary>
    float[][] EmbedMany(IReadOnlyList<string> texts);
}
