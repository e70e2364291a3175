using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Evaluation;
using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Scoring;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Benchmarks.Knowledge;

/// <summary>
/// Retrieval latency on the real knowledge base and the pretrained sentence encoder, with the embedding cache off
/// (every query is encoded). Each operation answers the next question of the evaluation set, so the figures cover
/// short and long queries.
/// Run: dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- --filter '*RetrievalBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class RetrievalBenchmarks
{
    private HybridPolicyRetriever _retriever = null!;
    private EncoderTextEmbedder _embedder = null!;
    private RetrievalQuery[] _queries = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _embedder = new EncoderTextEmbedder(SharedSentenceEncoders.Default.Encoder, new EmbeddingCache(0));
        _retriever = new HybridPolicyRetriever(KnowledgeBase.LoadEmbedded(), _embedder, Options.Create(new RetrieverOptions()));
        _queries = RetrievalEvaluator.LoadEmbeddedQuestions().Select(q => new RetrievalQuery(q.Question)).ToArray();
    }

    private RetrievalQuery Next() => _queries[_next++ % _queries.Length];

    [Benchmark(Baseline = true)]
    public IReadOnlyList<RetrievedChunk> Hybrid() => _retriever.Retrieve(Next(), RetrievalMode.Hybrid);

    [Benchmark]
    public IReadOnlyList<RetrievedChunk> Bm25Only() => _retriever.Retrieve(Next(), RetrievalMode.Bm25);

    [Benchmark]
    public float[] EmbedQuery() => _embedder.Encoder.Encode(Next().Text);

    [Benchmark]
    public IReadOnlyList<RetrievedChunk> HybridWithTagFilter() => _retriever.Retrieve(Next() with { Tags = ["maintenance", "billing"] });

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
