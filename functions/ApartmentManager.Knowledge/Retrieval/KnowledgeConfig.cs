namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>What <c>GET /api/v1/rag/config</c> shows: the corpus, the model and the fusion settings.</summary>
public sealed record KnowledgeConfig(
    int Documents,
    int Chunks,
    string ModelVersion,
    int EmbeddingDimensions,
    int VocabularySize,
    bool DenseEnabled,
    FusionSettings Fusion,
    IReadOnlyList<string> Tags,
    IReadOnlyList<KnowledgeDocumentInfo> DocumentList);

/// <param name="Method">Always "reciprocal_rank_fusion".</param>
public sealed record FusionSettings(
    string Method,
    double RrfK,
    double Bm25Weight,
    double DenseWeight,
    int CandidatePool,
    int DefaultTop,
    int MaxTop);

public sealed record KnowledgeDocumentInfo(
    string Id,
    string Title,
    string Version,
    DateOnly EffectiveDate,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Sections);
