using System.Text;

namespace ApartmentManager.Intelligence.Text;

/// <summary>
/// Lower-cases, folds Spanish/Latin accents to ASCII and splits into word tokens. Hand-rolled folding because
/// the hosts run with InvariantGlobalization, where Unicode normalisation is not something to depend on.
/// </summary>
public static class TextNormalizer
{
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            sb.Append(FoldChar(ch));
        }
        return sb.ToString();
    }

    public static char FoldChar(char ch) => char.ToLowerInvariant(ch) switch
    {
        'á' or 'à' or 'â' or 'ä' or 'ã' => 'a',
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'í' or 'ì' or 'î' or 'ï' => 'i',
        'ó' or 'ò' or 'ô' or 'ö' or 'õ' => 'o',
        'ú' or 'ù' or 'û' or 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        '’' or '‘' or '`' => '\'',
        var c => c,
    };

    /// <summary>Folded word tokens: letters and digits; apostrophes inside words are dropped ("don't" → "dont").</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>(Math.Max(4, text.Length / 5));
        var sb = new StringBuilder(16);
        foreach (var raw in text)
        {
            var ch = FoldChar(raw);
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
            else if (ch == '\'' && sb.Length > 0)
            {
                continue;
            }
            else if (sb.Length > 0)
            {
                tokens.Add(sb.ToString());
                sb.Clear();
            }
        }
        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
        }
        return tokens;
    }
}
