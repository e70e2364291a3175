namespace ApartmentManager.Knowledge.Documents;

/// <summary>A policy or procedure document as written in the knowledge base (front matter + markdown body).</summary>
public sealed record KnowledgeDocument(
    string Id,
    string Title,
    IReadOnlyList<string> Tags,
    string Version,
    DateOnly EffectiveDate,
    string Body);
