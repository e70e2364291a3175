using System.Globalization;

namespace ApartmentManager.Knowledge.Documents;

/// <summary>
/// Parses the knowledge base's markdown: a YAML-like front matter block (<c>key: value</c> lines, tags as
/// <c>[a, b]</c>) between <c>---</c> fences, then the body. Only the subset the knowledge base uses is accepted,
/// and anything else is rejected loudly so a bad document fails the build's tests rather than retrieval.
/// </summary>
public static class MarkdownDocumentParser
{
    private static readonly string[] RequiredKeys = ["id", "title", "tags", "version", "effective"];

    public static KnowledgeDocument Parse(string markdown, string source)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new KnowledgeBaseFormatException($"{source}: missing front matter (the file must start with '---').");
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new KnowledgeBaseFormatException($"{source}: front matter is not closed by '---'.");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text[4..end].Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new KnowledgeBaseFormatException($"{source}: front matter line '{line}' is not 'key: value'.");
            }

            fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        foreach (var key in RequiredKeys)
        {
            if (!fields.TryGetValue(key, out var value) || value.Length == 0)
            {
                throw new KnowledgeBaseFormatException($"{source}: front matter field '{key}' is missing.");
            }
        }

        if (!DateOnly.TryParseExact(fields["effective"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var effective))
        {
            throw new KnowledgeBaseFormatException($"{source}: 'effective' must be a date like 2026-01-31.");
        }

        var tags = ParseList(fields["tags"]);
        if (tags.Count == 0)
        {
            throw new KnowledgeBaseFormatException($"{source}: at least one tag is required.");
        }

        return new KnowledgeDocument(fields["id"], fields["title"], tags, fields["version"], effective, text[(end + 5)..].Trim());
    }

    private static List<string> ParseList(string value)
    {
        var inner = value.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']'))
        {
            inner = inner[1..^1];
        }

        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
