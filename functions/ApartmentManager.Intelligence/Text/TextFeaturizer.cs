using System.Buffers;

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
    /// <remarks>
    /// Counts in <paramref name="destination"/> itself and remembers the buckets in the order they were first hit, so
    /// the weights and the norm are summed in the same order as a dictionary of counts would give them (bit for bit
    /// the same vector), without building a string or a dictionary per feature.
    /// </remarks>
    public void Featurize(string text, Span<float> destination)
    {
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"Destination must have {Dimension} elements.", nameof(destination));
        }
        destination.Clear();
        if (CharWeight <= 0f)
        {
            FeaturizeWithDictionary(text, destination); // a zero or negative weight can leave a hit bucket at zero
            return;
        }
        var hit = ArrayPool<int>.Shared.Rent(64);
        try
        {
            var counts = new Counts(destination, hit, CharWeight);
            ForEachFeature(text, ref counts, static (ref Counts c, int bucket, ReadOnlySpan<char> feature) => c.Add(bucket, feature[0] == 'c'));
            hit = counts.Hit;
            double norm = 0;
            foreach (var bucket in hit.AsSpan(0, counts.Count))
            {
                var count = destination[bucket];
                var w = count <= 1f ? count : 1f + MathF.Log(count);
                destination[bucket] = w;
                norm += w * w;
            }
            if (norm > 0)
            {
                var inv = (float)(1 / Math.Sqrt(norm));
                foreach (var bucket in hit.AsSpan(0, counts.Count))
                {
                    destination[bucket] *= inv;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(hit);
        }
    }

    /// <summary>The counting <see cref="Featurize(string, Span{float})"/> did before, kept for a non-positive char weight.</summary>
    private void FeaturizeWithDictionary(string text, Span<float> destination)
    {
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

    /// <summary>Occurrence counts kept in the destination vector, with the buckets in first-hit order.</summary>
    private ref struct Counts(Span<float> destination, int[] hit, float charWeight)
    {
        private readonly Span<float> _destination = destination;
        public int[] Hit = hit;
        public int Count;

        public void Add(int bucket, bool isChar)
        {
            ref var slot = ref _destination[bucket];
            if (slot == 0f)
            {
                if (Count == Hit.Length)
                {
                    var larger = ArrayPool<int>.Shared.Rent(Hit.Length * 2);
                    Hit.AsSpan().CopyTo(larger);
                    ArrayPool<int>.Shared.Return(Hit);
                    Hit = larger;
                }
                Hit[Count++] = bucket;
            }
            slot += isChar ? charWeight : 1f;
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
        var all = new List<(int, string)>();
        ForEachFeature(text, ref all, static (ref List<(int, string)> list, int bucket, ReadOnlySpan<char> feature) => list.Add((bucket, feature.ToString())));
        return all;
    }

    /// <summary>A feature as <see cref="ForEachFeature{TState}"/> hands it over: its bucket and its name (valid during the call).</summary>
    public delegate void FeatureAction<TState>(ref TState state, int bucket, ReadOnlySpan<char> feature)
        where TState : allows ref struct;

    /// <summary>
    /// Calls <paramref name="action"/> for every hashed feature of the text, in the order of <see cref="Features"/>:
    /// per token its word, its bigram with the next token, then its character 3-, 4- and 5-grams. The names are built
    /// in one reused buffer, so nothing is allocated per feature.
    /// </summary>
    public void ForEachFeature<TState>(string text, ref TState state, FeatureAction<TState> action)
        where TState : allows ref struct
    {
        var tokens = TextNormalizer.Tokenize(text);
        var longest = 0;
        foreach (var token in tokens)
        {
            longest = Math.Max(longest, token.Length);
        }
        // "b:" + a token + " " + the next one is the longest name.
        var rented = ArrayPool<char>.Shared.Rent(2 * longest + 3);
        try
        {
            var buffer = rented.AsSpan();
            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i].AsSpan();
                var length = Write(buffer, "w:", token);
                action(ref state, Bucket(buffer[..length]), buffer[..length]);
                if (i + 1 < tokens.Count)
                {
                    length = Write(buffer, "b:", token);
                    buffer[length++] = ' ';
                    tokens[i + 1].AsSpan().CopyTo(buffer[length..]);
                    length += tokens[i + 1].Length;
                    action(ref state, Bucket(buffer[..length]), buffer[..length]);
                }
                // The padded word "#token#" as character n-grams "c:" + padded[s..s+n].
                var padded = token.Length + 2;
                for (var n = 3; n <= 5; n++)
                {
                    for (var s = 0; s + n <= padded; s++)
                    {
                        buffer[0] = 'c';
                        buffer[1] = ':';
                        for (var k = 0; k < n; k++)
                        {
                            var at = s + k;
                            buffer[2 + k] = at == 0 || at == padded - 1 ? '#' : token[at - 1];
                        }
                        action(ref state, Bucket(buffer[..(n + 2)]), buffer[..(n + 2)]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static int Write(Span<char> buffer, string prefix, ReadOnlySpan<char> token)
    {
        prefix.AsSpan().CopyTo(buffer);
        token.CopyTo(buffer[prefix.Length..]);
        return prefix.Length + token.Length;
    }

    private int Bucket(ReadOnlySpan<char> feature) => (int)(Fnv1a(feature) & (uint)(Dimension - 1));

    public int Bucket(string feature) => (int)(Fnv1a(feature) & (uint)(Dimension - 1));

    /// <summary>32-bit FNV-1a over UTF-16 code units (stable across processes, unlike string.GetHashCode).</summary>
    public static uint Fnv1a(string s) => Fnv1a(s.AsSpan());

    /// <summary><see cref="Fnv1a(string)"/> of a span of UTF-16 code units.</summary>
    public static uint Fnv1a(ReadOnlySpan<char> s)
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
