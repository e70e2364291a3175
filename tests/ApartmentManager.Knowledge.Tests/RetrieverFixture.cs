using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Embeddings;
using ApartmentManager.Knowledge.Retrieval;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge.Tests;

/// <summary>
/// The real knowledge base and the shipped ONNX embedding model (copied into the test output by the Knowledge
/// project), loaded once for all retrieval tests.
/// </summary>
public sealed class RetrieverFixture : IDisposable
{
    public RetrieverFixture()
    {
        KnowledgeBase = KnowledgeBase.LoadEmbedded();
        Embedder = OnnxTextEmbedder.Load(ModelPath, VocabularyPath);
        Retriever = new HybridPolicyRetriever(KnowledgeBase, Embedder, Options.Create(new RetrieverOptions()));
    }

    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "models", "embeddings.onnx");

    public static string VocabularyPath => Path.Combine(AppContext.BaseDirectory, "models", "embeddings.vocab.tsv");

    public KnowledgeBase KnowledgeBase { get; }

    public OnnxTextEmbedder Embedder { get; }

    public HybridPolicyRetriever Retriever { get; }

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RetrieverCollection : ICollectionFixture<RetrieverFixture>
{
    public const string Name = "retriever";
}
