using System.Collections.Frozen;

namespace ApartmentManager.Knowledge.Text;

/// <summary>
/// The one tokenizer used by BM25, the embedding trainer and the embedder at run time, so all three agree on
/// terms: lower-case ASCII letters and digits, English stop words removed, and a light suffix stemmer that folds
/// the inflections residents use ("leaking", "leaks", "leaked" → "leak").
/// </summary>
public static class TextTokenizer
{
    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
        "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our",
        "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
        "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "yours", "yourself", "also", "may", "must", "get", "got", "us", "ive", "dont", "cant",
        "its", "youre", "theyre", "whats", "hi", "hello", "please", "thanks", "thank", "e", "g", "etc", "s", "t",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Splits <paramref name="text"/> into normalised terms, in order, repeats kept.</summary>
    public static List<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        Span<char> buffer = stackalloc char[64];
        var length = 0;
        foreach (var raw in text)
        {
            // Apostrophes join ("resident's" → "residents") rather than split, so possessives stem cleanly.
            if (raw is '\'' or '\u2019')
            {
                continue;
            }

            var c = char.ToLowerInvariant(raw);
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = c;
                }

                continue;
            }

            Emit(buffer[..length], tokens);
            length = 0;
        }

        Emit(buffer[..length], tokens);
        return tokens;
    }

    private static void Emit(ReadOnlySpan<char> word, List<string> tokens)
    {
        if (word.IsEmpty)
        {
            return;
        }

        var s = word.ToString();
        if (StopWords.Contains(s) || (s.Length == 1 && !char.IsDigit(s[0])))
        {
            return;
        }

        tokens.Add(char.IsDigit(s[0]) ? s : Stem(s));
    }

    /// <summary>A deliberately small stemmer: plurals, -ing, -ed, doubled consonants, final e.</summary>
    internal static string Stem(string w)
    {
        if (w.Length <= 3)
        {
            return w;
        }

        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            w = w[..^1];
        }

        var stripped = false;
        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length - 3 >= 3)
        {
            w = w[..^3];
            stripped = true;
        }
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length - 2 >= 3)
        {
            w = w[..^2];
            stripped = true;
        }

        if (stripped && w.Length >= 3 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z') && !IsVowel(w[^1]))
        {
            w = w[..^1];
        }

        if (w.Length > 4 && w[^1] == 'e')
        {
            w = w[..^1];
        }

        return w;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
