using System.Globalization;
using System.Text;
using ApartmentManager.Knowledge.Text;

namespace ApartmentManager.Knowledge.Embeddings;

/// <summary>
/// Maps tokenizer terms to rows of the embedding table and gives each term its weight (an idf learned from the
/// knowledge base) for the model's weighted mean. Row 0 is the unknown term and is never sent to the model.
/// File format (UTF-8, tab-separated): comment lines <c># key: value</c> (version, dimensions), then one
/// <c>term\tweight</c> line per row in row order.
/// </summary>
public sealed class EmbeddingVocabulary
{
    public const string UnknownToken = "<unk>";

    private readonly Dictionary<string, int> _ids;
    private readonly float[] _weights;

    public EmbeddingVocabulary(IReadOnlyList<string> terms, IReadOnlyList<float> weights, string version, int dimensions)
    {
        if (terms.Count != weights.Count || terms.Count == 0 || terms[0] != UnknownToken)
        {
            throw new ArgumentException("Terms and weights must align and row 0 must be the unknown token.");
        }

        Terms = terms;
        _weights = weights.ToArray();
        _ids = new Dictionary<string, int>(terms.Count, StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            _ids[terms[i]] = i;
        }

        Version = version;
        Dimensions = dimensions;
    }

    public IReadOnlyList<string> Terms { get; }

    public string Version { get; }

    public int Dimensions { get; }

    public int Count => Terms.Count;

    public float WeightOf(int id) => _weights[id];

    /// <summary>Token ids and weights for <paramref name="text"/>; unknown terms are dropped.</summary>
    public (long[] Ids, float[] Weights) Encode(string text)
    {
        var ids = new List<long>();
        var weights = new List<float>();
        foreach (var token in TextTokenizer.Tokenize(text))
        {
            if (_ids.TryGetValue(token, out var id) && id != 0)
            {
                ids.Add(id);
                weights.Add(_weights[id]);
            }
        }

        return (ids.ToArray(), weights.ToArray());
    }

    public static EmbeddingVocabulary Load(string path)
    {
        var terms = new List<string>();
        var weights = new List<float>();
        var version = "";
        var dimensions = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var key = line[1..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (key == "version")
                    {
                        version = value;
                    }
                    else if (key == "dimensions")
                    {
                        dimensions = int.Parse(value, CultureInfo.InvariantCulture);
                    }
                }

                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new InvalidDataException($"{path}: vocabulary line '{line}' is not 'term<TAB>weight'.");
            }

            terms.Add(line[..tab]);
            weights.Add(float.Parse(line[(tab + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return new EmbeddingVocabulary(terms, weights, version, dimensions);
    }

    public void Save(string path)
    {
        var sb = new StringBuilder();
        sb.Append("# apartment-manager knowledge embedding vocabulary\n");
        sb.Append("# version: ").Append(Version).Append('\n');
        sb.Append("# dimensions: ").Append(Dimensions.ToString(CultureInfo.InvariantCulture)).Append('\n');
        for (var i = 0; i < Terms.Count; i++)
        {
            sb.Append(Terms[i]).Append('\t').Append(_weights[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }
}
