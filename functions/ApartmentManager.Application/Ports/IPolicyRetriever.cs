namespace ApartmentManager.Application.Ports;

/// <summary>A question for the knowledge base, optionally limited to documents carrying any of <paramref name="Tags"/>.</summary>
public sealed record RetrievalQuery(string Text, IReadOnlyList<string>? Tags = null, int Top = 5);

/// <summary>One section of a policy document that matched a query.</summary>
public sealed record RetrievedChunk(
    string DocumentId,
    string Section,
    string Title,
    double Score,
    string Text,
    IReadOnlyList<string> Tags,
    string Version);

/// <summary>Finds the policy passages that apply to a situation (hybrid BM25 + dense retrieval in production).</summary>
public interface IPolicyRetriever
{
    IReadOnlyList<RetrievedChunk> Retrieve(RetrievalQuery query);
}
