namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>Describes the loaded knowledge base and retriever (for <c>GET /api/v1/rag/config</c>).</summary>
public interface IKnowledgeCatalog
{
    KnowledgeConfig Describe();
}
