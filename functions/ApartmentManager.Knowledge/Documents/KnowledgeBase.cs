using System.Reflection;

namespace ApartmentManager.Knowledge.Documents;

/// <summary>The loaded documents and their section chunks. Immutable; build once and share.</summary>
public sealed class KnowledgeBase
{
    private const string ResourcePrefix = "KnowledgeBase/";

    public KnowledgeBase(IEnumerable<KnowledgeDocument> documents)
    {
        var docs = documents.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var duplicate = docs.GroupBy(d => d.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new KnowledgeBaseFormatException($"Document id '{duplicate.Key}' is used more than once.");
        }

        var chunks = new List<KnowledgeChunk>();
        foreach (var doc in docs)
        {
            foreach (var (section, text) in SectionChunker.Split(doc.Body))
            {
                chunks.Add(new KnowledgeChunk(chunks.Count, doc.Id, doc.Title, section, text, doc.Tags, doc.Version));
            }
        }

        Documents = docs;
        Chunks = chunks;
        Tags = docs.SelectMany(d => d.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<KnowledgeDocument> Documents { get; }

    public IReadOnlyList<KnowledgeChunk> Chunks { get; }

    /// <summary>Every tag used by some document, sorted.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The documents shipped inside this assembly (KnowledgeBase/*.md).</summary>
    public static KnowledgeBase LoadEmbedded()
    {
        var assembly = typeof(KnowledgeBase).Assembly;
        var docs = new List<KnowledgeDocument>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            docs.Add(MarkdownDocumentParser.Parse(ReadResource(assembly, name), name));
        }

        return new KnowledgeBase(docs);
    }

    internal static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
