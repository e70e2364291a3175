using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ApartmentManager.Domain;

namespace ApartmentManager.Llm;

/// <summary>
/// One versioned prompt file (<c>Prompts/&lt;id&gt;.v&lt;version&gt;.prompt</c>): a header of <c>key: value</c> lines
/// (id, version, task, description), then a <c>---system</c> and a <c>---user</c> section. <c>{{name}}</c> in the user
/// section is replaced by the call's values. A change of wording is a new file with the next version, never an edit.
/// </summary>
public sealed partial record PromptTemplate(string Id, int Version, string Task, string Description, string System, string User)
{
    public PromptRef Ref => new(Id, Version.ToString(CultureInfo.InvariantCulture));

    /// <summary>The user message with every placeholder filled; an unknown or missing placeholder is an error.</summary>
    public string RenderUser(IReadOnlyDictionary<string, string> values)
    {
        var missing = new List<string>();
        var text = Placeholder().Replace(User, m =>
        {
            if (values.TryGetValue(m.Groups[1].Value, out var value))
            {
                return value;
            }
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Prompt {Id} v{Version} needs values for: {string.Join(", ", missing)}.", nameof(values));
        }
        return text;
    }

    public static PromptTemplate Parse(string source, string text)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (raw.StartsWith("---", StringComparison.Ordinal))
            {
                var name = raw[3..].Trim();
                if (sections.ContainsKey(name) || name is not ("system" or "user"))
                {
                    throw new FormatException($"{source}: unexpected section '{raw}' (one ---system and one ---user).");
                }
                sections[name] = current = new StringBuilder();
                continue;
            }
            if (current is not null)
            {
                current.Append(raw).Append('\n');
            }
            else if (raw.Trim().Length > 0)
            {
                var colon = raw.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new FormatException($"{source}: header line '{raw}' is not 'key: value'.");
                }
                header[raw[..colon].Trim()] = raw[(colon + 1)..].Trim();
            }
        }
        string Required(string key) => header.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new FormatException($"{source}: header '{key}' is missing.");
        if (!int.TryParse(Required("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new FormatException($"{source}: version must be a positive integer.");
        }
        if (!sections.TryGetValue("system", out var system) || !sections.TryGetValue("user", out var user))
        {
            throw new FormatException($"{source}: both ---system and ---user sections are required.");
        }
        return new PromptTemplate(Required("id"), version, Required("task"), header.GetValueOrDefault("description") ?? "",
            system.ToString().Trim(), user.ToString().Trim());
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
