using System.Text;

namespace ApartmentManager.Knowledge.Documents;

/// <summary>
/// Splits a document at its level-2 headings (<c>## Section</c>). Text before the first such heading (other than
/// the level-1 title) becomes an "Overview" chunk. Sections are the citation unit policy code refers to.
/// </summary>
public static class SectionChunker
{
    public const string OverviewSection = "Overview";

    public static IEnumerable<(string Section, string Text)> Split(string body)
    {
        var section = OverviewSection;
        var buffer = new StringBuilder();
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (Flush(section, buffer) is { } previous)
                {
                    yield return previous;
                }

                section = line[3..].Trim();
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                continue;
            }

            buffer.Append(line).Append('\n');
        }

        if (Flush(section, buffer) is { } last)
        {
            yield return last;
        }
    }

    private static (string, string)? Flush(string section, StringBuilder buffer)
    {
        var text = buffer.ToString().Trim();
        buffer.Clear();
        return text.Length == 0 ? null : (section, text);
    }
}
