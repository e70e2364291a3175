using System.Security.Cryptography;
using ApartmentManager.Knowledge.Embeddings;

namespace ApartmentManager.EmbeddingTraining;

/// <summary>The trained table (row-major [vocabulary, dimensions], row 0 = unknown = zeros) and its vocabulary.</summary>
public sealed class TrainedEmbeddings
{
    internal TrainedEmbeddings(IReadOnlyList<string> terms, float[] weights, float[] table, int dimensions, string version)
    {
        Terms = terms;
        Weights = weights;
        Table = table;
        Dimensions = dimensions;
        Version = version;
    }

    public IReadOnlyList<string> Terms { get; }

    public float[] Weights { get; }

    public float[] Table { get; }

    public int Dimensions { get; }

    public string Version { get; }

    public EmbeddingVocabulary Vocabulary => new(Terms, Weights, Version, Dimensions);

    /// <summary>
    /// Reference computation of what the ONNX graph does (weighted mean of rows, then L2 normalisation), used to
    /// check that the exported model agrees with the trainer.
    /// </summary>
    public float[] EmbedReference(string text)
    {
        var (ids, weights) = Vocabulary.Encode(text);
        var sum = new double[Dimensions];
        double wsum = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            wsum += weights[i];
            for (var d = 0; d < Dimensions; d++)
            {
                sum[d] += weights[i] * Table[(ids[i] * Dimensions) + d];
            }
        }

        var mean = sum.Select(x => wsum > 1e-12 ? x / wsum : x / 1e-12).ToArray();
        var norm = Math.Max(Math.Sqrt(mean.Sum(x => x * x)), 1e-12);
        return mean.Select(x => (float)(x / norm)).ToArray();
    }

    internal static string MakeVersion(EmbeddingTrainingOptions options, IReadOnlyList<string> terms, float[] table)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in terms)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(t + "\n"));
        }

        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.AsSpan()));
        var hash = Convert.ToHexStringLower(sha.GetHashAndReset())[..10];
        return $"kb-ppmi-svd-d{options.Dimensions}-s{options.Seed}-{hash}";
    }
}
