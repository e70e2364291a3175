namespace ApartmentManager.Text;

/// <summary>
/// The form of a text that caches key on: what <see cref="UnicodeSanitizer"/> makes of it, lower-cased, runs of white
/// space as one space, trimmed. Two messages a reader would call the same ("Sink  LEAKS", "ｓｉｎｋ leaks",
/// "si\u200Bnk leaks") have one canonical form, so they share a cached embedding or LLM answer.
/// </summary>
public static class CanonicalText
{
    public static string Of(string text)
    {
        var clean = UnicodeSanitizer.Clean(text).ToLowerInvariant();
        var sb = new System.Text.StringBuilder(clean.Length);
        var space = false;
        foreach (var c in clean)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
