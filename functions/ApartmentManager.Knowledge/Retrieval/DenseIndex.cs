namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>Unit-length chunk vectors in one row-major block; cosine similarity is a dot product.</summary>
public sealed class DenseIndex
{
    private readonly float[] _matrix;

    public DenseIndex(IReadOnlyList<float[]> vectors, int dimensions)
    {
        Dimensions = dimensions;
        Count = vectors.Count;
        _matrix = new float[Count * dimensions];
        for (var i = 0; i < Count; i++)
        {
            if (vectors[i].Length != dimensions)
            {
                throw new ArgumentException($"Vector {i} has {vectors[i].Length} dimensions, expected {dimensions}.", nameof(vectors));
            }

            vectors[i].CopyTo(_matrix, i * dimensions);
        }
    }

    public int Dimensions { get; }

    public int Count { get; }

    public void Score(ReadOnlySpan<float> query, Span<double> scores)
    {
        var matrix = _matrix.AsSpan();
        for (var i = 0; i < Count; i++)
        {
            scores[i] = System.Numerics.Tensors.TensorPrimitives.Dot(matrix.Slice(i * Dimensions, Dimensions), query);
        }
    }
}
