using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Retrieval;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Knowledge.Tests;

[Collection(RetrieverCollection.Name)]
public sealed class HybridRetrieverTests(RetrieverFixture fixture)
{
    [Theory]
    [InlineData("I smell gas in my kitchen", "fire-life-safety")]
    [InlineData("water is pouring through the ceiling from upstairs", "water-leaks")]
    [InlineData("my neighbor plays loud music after midnight", "quiet-hours-noise")]
    [InlineData("how much is the late fee", "late-fees")]
    [InlineData("someone is parked in my assigned spot", "parking-towing")]
    public void Finds_the_policy_for_a_resident_question(string question, string expected)
    {
        var results = fixture.Retriever.Retrieve(new RetrievalQuery(question));
        Assert.Equal(5, results.Count);
        Assert.Contains(results.Take(3), r => r.DocumentId == expected);
    }

    [Fact]
    public void Results_carry_document_section_title_version_and_descending_scores()
    {
        var results = fixture.Retriever.Retrieve(new RetrievalQuery("bed bugs in the mattress", Top: 8));
        Assert.Equal(8, results.Count);
        foreach (var r in results)
        {
            var chunk = fixture.KnowledgeBase.Chunks.Single(c => c.DocumentId == r.DocumentId && c.Section == r.Section);
            Assert.Equal(chunk.Title, r.Title);
            Assert.Equal(chunk.Version, r.Version);
            Assert.Equal(chunk.Text, r.Text);
            Assert.Equal(chunk.Tags, r.Tags);
        }

        Assert.Equal(results.OrderByDescending(r => r.Score).Select(r => r.Score), results.Select(r => r.Score));
    }

    [Fact]
    public void Tag_filter_keeps_only_documents_carrying_one_of_the_tags()
    {
        var results = fixture.Retriever.Retrieve(new RetrievalQuery("water leaking everywhere", ["billing", "PARKING"], 10));
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Tags.Contains("billing") || r.Tags.Contains("parking"), r.DocumentId));
        Assert.Empty(fixture.Retriever.Retrieve(new RetrievalQuery("water leak", ["no-such-tag"])));
    }

    [Fact]
    public void Hybrid_fuses_both_lists_by_reciprocal_rank()
    {
        var query = new RetrievalQuery("my fridge stopped cooling and food spoiled", Top: 20);
        var bm25 = fixture.Retriever.Retrieve(query, RetrievalMode.Bm25).Select(Key).ToList();
        var dense = fixture.Retriever.Retrieve(query, RetrievalMode.Dense).Select(Key).ToList();
        var hybrid = fixture.Retriever.Retrieve(query with { Top = 5 }, RetrievalMode.Hybrid);
        var k = new RetrieverOptions().RrfK;
        foreach (var r in hybrid)
        {
            var b = bm25.IndexOf(Key(r));
            var d = dense.IndexOf(Key(r));
            var expected = (b >= 0 ? 1 / (k + b + 1) : 0) + (d >= 0 ? 1 / (k + d + 1) : 0);
            Assert.Equal(expected, r.Score, 12);
        }

        Assert.Equal("appliance-repair", hybrid[0].DocumentId);
    }

    [Fact]
    public void Same_query_gives_the_same_answer()
    {
        var q = new RetrievalQuery("pest control for mice");
        Assert.Equal(fixture.Retriever.Retrieve(q), fixture.Retriever.Retrieve(q), new ChunkComparer());
    }

    [Fact]
    public void Concurrent_callers_get_the_same_answers_as_a_single_caller()
    {
        var questions = fixture.KnowledgeBase.Chunks.Select(c => new RetrievalQuery(c.Section + " " + c.Title)).Take(40).ToList();
        var expected = questions.Select(q => string.Join("|", fixture.Retriever.Retrieve(q).Select(Key))).ToList();
        var actual = new string[8][];
        Parallel.For(0, 8, t => actual[t] = questions.Select(q => string.Join("|", fixture.Retriever.Retrieve(q).Select(Key))).ToArray());
        Assert.All(actual, a => Assert.Equal(expected, a));
    }

    [Theory]
    [InlineData("", 5)]
    [InlineData("   ", 5)]
    [InlineData("leak", -1)]
    [InlineData("leak", 21)]
    public void Invalid_queries_are_rejected(string text, int top)
    {
        Assert.NotEmpty(RetrievalQueryValidator.Validate(new RetrievalQuery(text, null, top), new RetrieverOptions()));
        Assert.Throws<ArgumentException>(() => fixture.Retriever.Retrieve(new RetrievalQuery(text, null, top)));
    }

    [Fact]
    public void Validator_reports_fields_by_name()
    {
        var errors = RetrievalQueryValidator.Validate(new RetrievalQuery(new string('x', 5000), [""], 0), new RetrieverOptions());
        Assert.Equal(["tags", "text"], errors.Keys.Order());
        Assert.Empty(RetrievalQueryValidator.Validate(new RetrievalQuery("leak", null, 0), new RetrieverOptions()));
    }

    [Fact]
    public void Top_zero_means_the_configured_default()
    {
        var retriever = new HybridPolicyRetriever(fixture.KnowledgeBase, fixture.Embedder, Options.Create(new RetrieverOptions { DefaultTop = 3 }));
        Assert.Equal(3, retriever.Retrieve(new RetrievalQuery("noise complaint", null, 0)).Count);
    }

    [Fact]
    public void Without_an_embedder_retrieval_is_bm25_only()
    {
        var retriever = new HybridPolicyRetriever(fixture.KnowledgeBase, null, Options.Create(new RetrieverOptions()));
        Assert.False(retriever.DenseEnabled);
        var hybrid = retriever.Retrieve(new RetrievalQuery("late fee amount"));
        var bm25 = retriever.Retrieve(new RetrievalQuery("late fee amount"), RetrievalMode.Bm25);
        Assert.Equal(bm25.Select(Key), hybrid.Select(Key));
        Assert.Throws<InvalidOperationException>(() => retriever.Retrieve(new RetrievalQuery("x y"), RetrievalMode.Dense));
        Assert.Equal("none", retriever.Describe().ModelVersion);
    }

    [Fact]
    public void Describe_reports_corpus_model_and_fusion()
    {
        var config = fixture.Retriever.Describe();
        Assert.Equal(fixture.KnowledgeBase.Documents.Count, config.Documents);
        Assert.Equal(fixture.KnowledgeBase.Chunks.Count, config.Chunks);
        Assert.Equal(fixture.Embedder.ModelVersion, config.ModelVersion);
        Assert.True(config.DenseEnabled);
        Assert.Equal("reciprocal_rank_fusion", config.Fusion.Method);
        Assert.Equal(60, config.Fusion.RrfK);
        Assert.Contains(config.DocumentList, d => d.Id == "late-fees" && d.Sections.Contains("Fee amounts"));
        Assert.Contains("billing", config.Tags);
    }

    private static string Key(RetrievedChunk r) => $"{r.DocumentId}#{r.Section}";

    private sealed class ChunkComparer : IEqualityComparer<RetrievedChunk>
    {
        public bool Equals(RetrievedChunk? x, RetrievedChunk? y) => x is not null && y is not null && Key(x) == Key(y) && x.Score == y.Score;

        public int GetHashCode(RetrievedChunk obj) => Key(obj).GetHashCode(StringComparison.Ordinal);
    }
}
