namespace ApartmentManager.Knowledge.Documents;

/// <summary>A knowledge-base document is malformed (missing front matter field, bad date, duplicate id).</summary>
public sealed class KnowledgeBaseFormatException(string message) : Exception(message);
