using System.Text.RegularExpressions;

namespace ApartmentManager.Intelligence.Rules;

/// <summary>
/// Where a message moves on to another issue ("… Also, …", "Oh and …", "Another thing: …", "Btw …", "También, …"):
/// residents state the issue they write about first, so the text before the first such marker is the primary issue.
/// Used for lexical features of the classification heads (the rules' category scores over the primary issue).
/// </summary>
public static partial class IssueSegmenter
{
    [GeneratedRegex(@"(?:^|[\s.,;:!?])(also|and also|oh and|another thing|one more thing|btw|by the way|plus|separately|unrelated|tambien|ademas|y ademas|otra cosa|aparte|por cierto)(?=[\s,.:;!?]|$)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Marker();

    /// <summary>The text before the first marker that follows at least three words; the whole text when there is none.</summary>
    public static string PrimaryIssue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Text.TextNormalizer.Fold(text);
        if (folded.Length != text.Length)
        {
            return text;
        }
        try
        {
            foreach (Match m in Marker().Matches(folded))
            {
                if (folded[..m.Groups[1].Index].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3)
                {
                    return text[..m.Groups[1].Index];
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological input: no split, the whole text is the issue.
        }
        return text;
    }
}
