namespace ApartmentManager.Knowledge.Documents;

/// <summary>One section of a document: the unit that is indexed, retrieved and cited.</summary>
/// <param name="Index">Position in the knowledge base's chunk list; stable for a given set of documents.</param>
/// <param name="Text">The section's own text, as shown to callers.</param>
public sealed record KnowledgeChunk(
    int Index,
    string DocumentId,
    string Title,
    string Section,
    string Text,
    IReadOnlyList<string> Tags,
    string Version)
{
    /// <summary>
    /// What the indexes see: title, section heading and tags are prepended because residents' words often match
    /// the topic ("parking", "mold") rather than the body text of the section.
    /// </summary>
    public string IndexText => $"{Title}. {Section}. {string.Join(' ', Tags).Replace('-', ' ')}. {Text}";
}
