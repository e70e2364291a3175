namespace ApartmentManager.Intelligence.Text;

/// <summary>
/// Whether a message reads as English: the pretrained encoder is English-only, so other text (Spanish above all)
/// keeps the n-gram model, whose features were trained on both. Counts frequent function words of each language
/// on the folded tokens; a message with no evidence either way counts as English.
/// </summary>
public static class LanguageGuess
{
    private static readonly HashSet<string> English =
    [
        "the", "is", "my", "and", "a", "an", "it", "in", "of", "to", "i", "im", "this", "that", "on", "there", "not", "no", "with", "for",
        "from", "has", "have", "was", "are", "be", "our", "we", "you", "please", "pls", "again", "since", "at", "when", "its", "been", "can",
        "cant", "dont", "doesnt", "wont", "keeps", "still", "broken", "leaking", "help", "water", "door",
    ];

    private static readonly HashSet<string> Spanish =
    [
        "el", "la", "los", "las", "es", "esta", "estan", "de", "del", "en", "y", "que", "mi", "mis", "un", "una", "por", "favor", "hay", "no",
        "se", "con", "para", "desde", "muy", "ya", "pero", "lo", "le", "me", "nos", "su", "al", "otra", "vez", "tengo", "tiene", "hola",
        "gracias", "buenas", "buen", "dia", "noche", "ayer", "anoche", "agua", "puerta", "fuga", "funciona",
    ];

    public static bool IsEnglish(string text)
    {
        var tokens = TextNormalizer.Tokenize(text);
        int en = 0, es = 0;
        foreach (var t in tokens)
        {
            // "no" and "en"-like ambiguous words count for both.
            if (English.Contains(t))
            {
                en++;
            }
            if (Spanish.Contains(t))
            {
                es++;
            }
        }
        return es <= en;
    }
}
