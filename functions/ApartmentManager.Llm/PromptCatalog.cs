using System.Reflection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Llm;

/// <summary>
/// Every prompt template shipped in this assembly (<c>Prompts/*.prompt</c>, embedded). <see cref="Get"/> gives the
/// newest version of an id unless <c>Llm:PromptVersions:&lt;id&gt;</c> pins an older one.
/// </summary>
public sealed class PromptCatalog
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<PromptTemplate>> _byId;
    private readonly IReadOnlyDictionary<string, int> _pins;

    public PromptCatalog(IOptions<LlmOptions> options) : this(LoadEmbedded(), options.Value.PromptVersions)
    {
    }

    public PromptCatalog(IEnumerable<PromptTemplate> templates, IReadOnlyDictionary<string, int>? pins = null)
    {
        var all = templates.ToList();
        var duplicate = all.GroupBy(t => (t.Id, t.Version)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Prompt {duplicate.Key.Id} v{duplicate.Key.Version} is defined twice.");
        }
        _byId = all.GroupBy(t => t.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PromptTemplate>)[.. g.OrderBy(t => t.Version)], StringComparer.Ordinal);
        _pins = pins ?? new Dictionary<string, int>();
        foreach (var (id, version) in _pins)
        {
            if (!_byId.TryGetValue(id, out var versions) || versions.All(t => t.Version != version))
            {
                throw new InvalidOperationException($"Llm:PromptVersions pins {id} to v{version}, which does not exist.");
            }
        }
    }

    public static PromptCatalog Default { get; } = new(LoadEmbedded());

    public IEnumerable<PromptTemplate> All => _byId.Values.SelectMany(v => v);

    /// <summary>The template in use for <paramref name="id"/>.</summary>
    public PromptTemplate Get(string id)
    {
        if (!_byId.TryGetValue(id, out var versions))
        {
            throw new KeyNotFoundException($"No prompt template '{id}'.");
        }
        return _pins.TryGetValue(id, out var pinned) ? versions.Single(t => t.Version == pinned) : versions[^1];
    }

    public static IReadOnlyList<PromptTemplate> LoadEmbedded()
    {
        var assembly = typeof(PromptCatalog).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Prompts/", StringComparison.Ordinal) && n.EndsWith(".prompt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => PromptTemplate.Parse(n, Read(assembly, n)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
