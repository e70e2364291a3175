using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Text;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>
/// Hybrid retrieval over the knowledge base's section chunks: BM25 and dense cosine similarity each rank the
/// chunks allowed by the tag filter, and reciprocal-rank fusion merges the two lists. Without an embedder the
/// retriever degrades to BM25 alone. Thread-safe; build once (it embeds every chunk at construction).
/// </summary>
public sealed class HybridPolicyRetriever : IPolicyRetriever, IKnowledgeCatalog
{
    private readonly KnowledgeBase _knowledgeBase;
    private readonly ITextEmbedder? _embedder;
    private readonly RetrieverOptions _options;
    private readonly Bm25Index _bm25;
    private readonly DenseIndex? _dense;
    private readonly HashSet<string>[] _chunkTags;
    private readonly ILogger _logger;
    // Rankings of queries asked before. The index never changes after construction, so a query's ranking never does
    // either; the simulation cites policies for every option of every request with a handful of fixed queries, and each
    // used to score all chunks twice (BM25 and dense) again. Bounded: past the limit new queries are ranked, not kept.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RetrievedChunk[]> _answered = new(StringComparer.Ordinal);
    private const int MaxAnswered = 4096;

    public HybridPolicyRetriever(KnowledgeBase knowledgeBase, ITextEmbedder? embedder, IOptions<RetrieverOptions> options, ILogger<HybridPolicyRetriever>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        _knowledgeBase = knowledgeBase;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _embedder = _options.EnableDense ? embedder : null;

        var texts = knowledgeBase.Chunks.Select(c => c.IndexText).ToList();
        _bm25 = new Bm25Index(texts, _options.Bm25K1, _options.Bm25B);
        if (_embedder is not null)
        {
            _dense = new DenseIndex(Wait(_embedder.EmbedManyAsync(texts)), _embedder.Dimensions);
        }

        _chunkTags = knowledgeBase.Chunks.Select(c => new HashSet<string>(c.Tags, StringComparer.OrdinalIgnoreCase)).ToArray();
        _logger.LogInformation(
            "Knowledge base indexed: {Documents} documents, {Chunks} chunks, {Terms} BM25 terms, dense model {ModelVersion}",
            knowledgeBase.Documents.Count, knowledgeBase.Chunks.Count, _bm25.TermCount, _embedder?.ModelVersion ?? "none");
    }

    public bool DenseEnabled => _dense is not null;

    public IReadOnlyList<RetrievedChunk> Retrieve(RetrievalQuery query) => Retrieve(query, RetrievalMode.Hybrid);

    /// <summary>
    /// The ranking for a query whose embedding the caller already has (e.g. the request's message, embedded once
    /// for classification): no encoder pass. <paramref name="queryVector"/> must come from the same encoder.
    /// </summary>
    public IReadOnlyList<RetrievedChunk> Retrieve(RetrievalQuery query, RetrievalMode mode, float[]? queryVector) =>
        RetrieveCore(query, mode, queryVector);

    /// <summary>
    /// Retrieves with one ranking. <see cref="RetrievalMode.Hybrid"/> scores are fused RRF scores; the single-list
    /// modes return that list's raw score (BM25 or cosine). Throws <see cref="ArgumentException"/> for a query that
    /// <see cref="RetrievalQueryValidator"/> rejects. The query is embedded by the in-process encoder (its cache
    /// answers repeated queries, such as the ones the decision step builds from a category and an urgency).
    /// </summary>
    public IReadOnlyList<RetrievedChunk> Retrieve(RetrievalQuery query, RetrievalMode mode)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = string.Join('\u001f', [((int)mode).ToString(System.Globalization.CultureInfo.InvariantCulture),
            query.Top.ToString(System.Globalization.CultureInfo.InvariantCulture), query.Text, .. query.Tags ?? []]);
        if (_answered.TryGetValue(key, out var known))
        {
            return known;
        }
        var ranked = RetrieveCore(query, mode, null).ToArray();
        if (_answered.Count < MaxAnswered)
        {
            _answered.TryAdd(key, ranked);
        }
        return ranked;
    }

    // The in-process embedder completes synchronously; the retrieval port is synchronous.
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private List<RetrievedChunk> RetrieveCore(RetrievalQuery query, RetrievalMode mode, float[]? queryVector)
    {
        var errors = RetrievalQueryValidator.Validate(query, _options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.SelectMany(e => e.Value)), nameof(query));
        }

        if (mode == RetrievalMode.Dense && _dense is null)
        {
            throw new InvalidOperationException("Dense retrieval is not available: the embedding model is not loaded.");
        }

        var top = query.Top == 0 ? _options.DefaultTop : query.Top;
        var allowed = AllowedChunks(query.Tags);
        var n = _knowledgeBase.Chunks.Count;

        int[] bm25Ranked = [];
        double[] bm25Scores = [];
        if (mode != RetrievalMode.Dense)
        {
            bm25Scores = new double[n];
            _bm25.Score(TextTokenizer.Tokenize(query.Text), bm25Scores);
            bm25Ranked = Rank(bm25Scores, allowed, requirePositive: true, mode == RetrievalMode.Bm25 ? top : _options.CandidatePool);
        }

        int[] denseRanked = [];
        double[] denseScores = [];
        if (mode != RetrievalMode.Bm25 && _dense is not null)
        {
            var vector = queryVector ?? Wait(_embedder!.EmbedAsync(query.Text));
            if (vector.Length != _dense.Dimensions)
            {
                throw new ArgumentException($"The query vector has {vector.Length} dimensions, the index {_dense.Dimensions}.", nameof(queryVector));
            }
            if (vector.Any(x => x != 0f))
            {
                denseScores = new double[n];
                _dense.Score(vector, denseScores);
                denseRanked = Rank(denseScores, allowed, requirePositive: false, mode == RetrievalMode.Dense ? top : _options.CandidatePool);
            }
        }

        return mode switch
        {
            RetrievalMode.Bm25 => bm25Ranked.Select(i => ToResult(i, bm25Scores[i])).ToList(),
            RetrievalMode.Dense => denseRanked.Select(i => ToResult(i, denseScores[i])).ToList(),
            _ => Fuse(bm25Ranked, denseRanked, top),
        };
    }

    public KnowledgeConfig Describe() => new(
        _knowledgeBase.Documents.Count,
        _knowledgeBase.Chunks.Count,
        _embedder?.ModelVersion ?? "none",
        _embedder?.Dimensions ?? 0,
        _bm25.TermCount,
        DenseEnabled,
        new FusionSettings("reciprocal_rank_fusion", _options.RrfK, _options.Bm25Weight, DenseEnabled ? _options.DenseWeight : 0, _options.CandidatePool, _options.DefaultTop, _options.MaxTop),
        _knowledgeBase.Tags,
        _knowledgeBase.Documents
            .Select(d => new KnowledgeDocumentInfo(
                d.Id, d.Title, d.Version, d.EffectiveDate, d.Tags,
                _knowledgeBase.Chunks.Where(c => c.DocumentId == d.Id).Select(c => c.Section).ToList()))
            .ToList());

    private List<RetrievedChunk> Fuse(int[] bm25Ranked, int[] denseRanked, int top)
    {
        var fused = new Dictionary<int, double>();
        for (var r = 0; r < bm25Ranked.Length; r++)
        {
            fused[bm25Ranked[r]] = _options.Bm25Weight / (_options.RrfK + r + 1);
        }

        for (var r = 0; r < denseRanked.Length; r++)
        {
            fused[denseRanked[r]] = fused.GetValueOrDefault(denseRanked[r]) + (_options.DenseWeight / (_options.RrfK + r + 1));
        }

        return fused
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key)
            .Take(top)
            .Select(kv => ToResult(kv.Key, kv.Value))
            .ToList();
    }

    private bool[]? AllowedChunks(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return null;
        }

        var wanted = tags.Select(t => t.Trim()).ToList();
        var allowed = new bool[_chunkTags.Length];
        for (var i = 0; i < allowed.Length; i++)
        {
            allowed[i] = wanted.Exists(_chunkTags[i].Contains);
        }

        return allowed;
    }

    private static int[] Rank(double[] scores, bool[]? allowed, bool requirePositive, int take)
    {
        var candidates = new List<int>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            if ((allowed is null || allowed[i]) && (!requirePositive || scores[i] > 0))
            {
                candidates.Add(i);
            }
        }

        // Ties go to the earlier chunk so results are stable across runs and machines.
        candidates.Sort((a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return candidates.Count > take ? candidates.GetRange(0, take).ToArray() : candidates.ToArray();
    }

    private RetrievedChunk ToResult(int index, double score)
    {
        var c = _knowledgeBase.Chunks[index];
        return new RetrievedChunk(c.DocumentId, c.Section, c.Title, score, c.Text, c.Tags, c.Version);
    }
}
