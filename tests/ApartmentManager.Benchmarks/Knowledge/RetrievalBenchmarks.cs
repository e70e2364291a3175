using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Embeddings;
using ApartmentManager.Knowledge.Evaluation;
using ApartmentManager.Knowledge.Retrieval;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Benchmarks.Knowledge;

/// <summary>
/// Retrieval latency on the real knowledge base and the shipped ONNX embedding model (aim: hybrid p95 ≤ 2 ms).
/// Each operation answers the next question of the evaluation set, so the figures cover short and long queries.
/// Run: dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- --filter '*RetrievalBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
public class RetrievalBenchmarks
{
    private HybridPolicyRetriever _retriever = null!;
    private OnnxTextEmbedder _embedder = null!;
    private RetrievalQuery[] _queries = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var models = Path.Combine(AppContext.BaseDirectory, "models");
        _embedder = OnnxTextEmbedder.Load(Path.Combine(models, "embeddings.onnx"), Path.Combine(models, "embeddings.vocab.tsv"));
        _retriever = new HybridPolicyRetriever(KnowledgeBase.LoadEmbedded(), _embedder, Options.Create(new RetrieverOptions()));
        _queries = RetrievalEvaluator.LoadEmbeddedQuestions().Select(q => new RetrievalQuery(q.Question)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    private RetrievalQuery Next() => _queries[_next++ % _queries.Length];

    [Benchmark(Baseline = true)]
    public IReadOnlyList<RetrievedChunk> Hybrid() => _retriever.Retrieve(Next(), RetrievalMode.Hybrid);

    [Benchmark]
    public IReadOnlyList<RetrievedChunk> Bm25Only() => _retriever.Retrieve(Next(), RetrievalMode.Bm25);

    [Benchmark]
    public float[] EmbedQuery() => _embedder.Embed(Next().Text);

    [Benchmark]
    public IReadOnlyList<RetrievedChunk> HybridWithTagFilter() => _retriever.Retrieve(Next() with { Tags = ["maintenance", "billing"] });

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
