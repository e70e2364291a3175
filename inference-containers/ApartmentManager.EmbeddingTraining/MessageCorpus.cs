using System.Text.Json;

namespace ApartmentManager.EmbeddingTraining;

/// <summary>
/// Optional resident-message text that widens the vocabulary towards how residents write. Accepts JSON Lines
/// (a "text" or "message" field per line), a JSON array of such objects, or plain text (one message a line).
/// </summary>
public static class MessageCorpus
{
    public static IReadOnlyList<string> Load(IEnumerable<string> paths)
    {
        var messages = new List<string>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var content = File.ReadAllText(path);
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                using var doc = JsonDocument.Parse(content);
                if (doc.RootElement.ValueKind == JsonValueKind.Array)
                {
                    messages.AddRange(doc.RootElement.EnumerateArray().Select(TextOf).OfType<string>());
                }

                continue;
            }

            foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                {
                    using var doc = JsonDocument.Parse(line);
                    if (TextOf(doc.RootElement) is { } text)
                    {
                        messages.Add(text);
                    }
                }
                else
                {
                    messages.Add(line);
                }
            }
        }

        return messages;
    }

    private static string? TextOf(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in new[] { "text", "message", "body" })
        {
            if (e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
            {
                return p.GetString();
            }
        }

        return null;
    }
}
