using ApartmentManager.Knowledge.Text;

namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>Okapi BM25 over a fixed set of documents (here: chunks), with an inverted index.</summary>
public sealed class Bm25Index
{
    private readonly Dictionary<string, (int Doc, int Tf)[]> _postings;
    private readonly Dictionary<string, double> _idf;
    private readonly float[] _lengthNorm;
    private readonly double _k1;

    public Bm25Index(IReadOnlyList<string> documents, double k1 = 1.2, double b = 0.75)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _k1 = k1;
        Count = documents.Count;
        var lengths = new int[Count];
        var builder = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        for (var d = 0; d < Count; d++)
        {
            var tokens = TextTokenizer.Tokenize(documents[d]);
            lengths[d] = tokens.Count;
            foreach (var group in tokens.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!builder.TryGetValue(group.Key, out var list))
                {
                    builder[group.Key] = list = [];
                }

                list.Add((d, group.Count()));
            }
        }

        var average = Count == 0 ? 1.0 : Math.Max(1.0, lengths.Average());
        _lengthNorm = lengths.Select(l => (float)(k1 * (1 - b + (b * l / average)))).ToArray();
        _postings = builder.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

        // The "plus one" form keeps every idf positive, so a term found in most chunks still counts a little.
        _idf = _postings.ToDictionary(
            kv => kv.Key,
            kv => Math.Log(1 + ((Count - kv.Value.Length + 0.5) / (kv.Value.Length + 0.5))),
            StringComparer.Ordinal);
    }

    public int Count { get; }

    public int TermCount => _postings.Count;

    /// <summary>Adds each document's BM25 score for <paramref name="queryTerms"/> into <paramref name="scores"/>.</summary>
    public void Score(IReadOnlyList<string> queryTerms, Span<double> scores)
    {
        if (scores.Length != Count)
        {
            throw new ArgumentException("One score slot per document is required.", nameof(scores));
        }

        scores.Clear();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in queryTerms)
        {
            // Repeated query words add no extra weight: residents repeat themselves when upset, not for emphasis.
            if (!seen.Add(term) || !_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            var idf = _idf[term];
            foreach (var (doc, tf) in postings)
            {
                scores[doc] += idf * (tf * (_k1 + 1)) / (tf + _lengthNorm[doc]);
            }
        }
    }
}
