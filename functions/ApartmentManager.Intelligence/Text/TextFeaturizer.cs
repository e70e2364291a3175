namespace ApartmentManager.Intelligence.Text;

/// <summary>
/// Turns a message into the exact dense input tensor of the text model ("features", float [batch, Dimension]):
/// word unigrams and bigrams plus character 3–5-grams of each padded word, hashed with 32-bit FNV-1a into
/// 2^14 buckets, weighted 1 + ln(count), then L2-normalised. Public and dependency-free so a model server can
/// reproduce the tensor byte for byte; the trainer uses this same class.
/// </summary>
public sealed class TextFeaturizer
{
    public const int DefaultDimension = 1 << 14;
    /// <summary>Bumped whenever the feature recipe changes; stored in the model metadata and checked on load.</summary>
    public const string Recipe = "fnv1a32-w12-c35-log-l2-v2";

    public TextFeaturizer(int dimension = DefaultDimension, float charWeight = DefaultCharWeight)
    {
        CharWeight = charWeight;
        if (dimension <= 0 || (dimension & (dimension - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), "The dimension must be a power of two.");
        }
        Dimension = dimension;
    }

    public int Dimension { get; }

    /// <summary>Weight of one character n-gram occurrence (a word counts 1); kept as a knob for experiments.</summary>
    public const float DefaultCharWeight = 1f;
    public float CharWeight { get; }

    public float[] Featurize(string text)
    {
        var v = new float[Dimension];
        Featurize(text, v);
        return v;
    }

    /// <summary>Writes the L2-normalised feature vector into <paramref name="destination"/> (cleared first).</summary>
    public void Featurize(string text, Span<float> destination)
    {
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"Destination must have {Dimension} elements.", nameof(destination));
        }
        destination.Clear();
        var counts = new Dictionary<int, float>();
        foreach (var (bucket, feature) in Features(text))
        {
            counts[bucket] = counts.GetValueOrDefault(bucket) + (feature[0] == 'c' ? CharWeight : 1f);
        }
        double norm = 0;
        foreach (var (bucket, count) in counts)
        {
            var w = count <= 1f ? count : 1f + MathF.Log(count);
            destination[bucket] = w;
            norm += w * w;
        }
        if (norm > 0)
        {
            var inv = (float)(1 / Math.Sqrt(norm));
            foreach (var bucket in counts.Keys)
            {
                destination[bucket] *= inv;
            }
        }
    }

    /// <summary>Sparse form (bucket, value), sorted by bucket: what the trainer consumes.</summary>
    public (int[] Indices, float[] Values) FeaturizeSparse(string text)
    {
        var dense = Featurize(text);
        var idx = new List<int>();
        for (var i = 0; i < dense.Length; i++)
        {
            if (dense[i] != 0f)
            {
                idx.Add(i);
            }
        }
        return (idx.ToArray(), idx.Select(i => dense[i]).ToArray());
    }

    /// <summary>Every hashed feature of the text with its readable name ("w:leak", "b:no heat", "c:#lea").</summary>
    public IEnumerable<(int Bucket, string Feature)> Features(string text)
    {
        var tokens = TextNormalizer.Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            var w = "w:" + tokens[i];
            yield return (Bucket(w), w);
            if (i + 1 < tokens.Count)
            {
                var b = "b:" + tokens[i] + " " + tokens[i + 1];
                yield return (Bucket(b), b);
            }
            var padded = "#" + tokens[i] + "#";
            for (var n = 3; n <= 5; n++)
            {
                for (var s = 0; s + n <= padded.Length; s++)
                {
                    var c = string.Concat("c:", padded.AsSpan(s, n));
                    yield return (Bucket(c), c);
                }
            }
        }
    }

    public int Bucket(string feature) => (int)(Fnv1a(feature) & (uint)(Dimension - 1));

    /// <summary>32-bit FNV-1a over UTF-16 code units (stable across processes, unlike string.GetHashCode).</summary>
    public static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var ch in s)
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        return hash;
    }
}
