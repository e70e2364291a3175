using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge.Tests;

/// <summary>
/// One sentence encoder session for the whole test run (the 90 MB model the build extracted into the output's
/// models/encoder), shared by every test in this assembly.
/// </summary>
public static class SharedEncoder
{
    public static EncoderTextEmbedder Embedder => SharedSentenceEncoders.Default;

    public static SentenceEncoder Encoder => Embedder.Encoder;
}

/// <summary>The real knowledge base and the real sentence encoder, indexed once for all retrieval tests.</summary>
public sealed class RetrieverFixture
{
    public RetrieverFixture()
    {
        KnowledgeBase = KnowledgeBase.LoadEmbedded();
        Retriever = new HybridPolicyRetriever(KnowledgeBase, Embedder, Options.Create(new RetrieverOptions()));
    }

    public KnowledgeBase KnowledgeBase { get; }

    public EncoderTextEmbedder Embedder => SharedEncoder.Embedder;

    public HybridPolicyRetriever Retriever { get; }
}

[CollectionDefinition(Name)]
public sealed class RetrieverCollection : ICollectionFixture<RetrieverFixture>
{
    public const string Name = "retriever";
}
