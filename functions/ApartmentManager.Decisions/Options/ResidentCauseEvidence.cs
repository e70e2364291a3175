using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>
/// Finds what in a request points at resident-caused damage. A chargeback may only be raised on evidence, so this
/// returns each signal it found (quoted), not a verdict; the decision policy counts them against its threshold.
/// </summary>
public static class ResidentCauseEvidence
{
    private static readonly string[] Phrases =
    [
        "i broke", "we broke", "my fault", "our fault", "accidentally", "by accident", "i dropped", "we dropped",
        "my son", "my daughter", "my kid", "my dog", "my cat", "i flushed", "we flushed", "i spilled", "i caused",
        "photo attached", "photos attached", "see attached", "picture attached",
    ];

    public static IReadOnlyList<string> Find(ResidentRequest request)
    {
        var found = new List<string>();
        string message = request.Message;
        foreach (string phrase in Phrases)
        {
            if (message.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                found.Add($"message: \"{phrase}\"");
            }
        }
        if (request.Classification is { } classification)
        {
            foreach (string item in classification.Evidence)
            {
                if (item.Contains("resident_caused", StringComparison.OrdinalIgnoreCase)
                    || item.Contains("resident-caused", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add($"classifier: {item}");
                }
            }
        }
        return found;
    }
}
