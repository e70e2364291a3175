using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Knowledge.Text;

namespace ApartmentManager.Knowledge.Tests;

public sealed class Bm25IndexTests
{
    private static readonly string[] Docs =
    [
        "late fee charged after the grace period",
        "the pool is open in summer; the pool closes at night",
        "towing of cars parked in the fire lane",
        "the fee for a replacement key fob",
    ];

    private static double[] Score(Bm25Index index, string query)
    {
        var scores = new double[index.Count];
        index.Score(TextTokenizer.Tokenize(query), scores);
        return scores;
    }

    [Fact]
    public void Ranks_the_document_with_the_query_terms_first()
    {
        var scores = Score(new Bm25Index(Docs), "what is the late fee");
        Assert.Equal(0, Array.IndexOf(scores, scores.Max()));
        Assert.True(scores[3] > 0, "'fee' alone should still score");
        Assert.Equal(0, scores[1]);
        Assert.Equal(0, scores[2]);
    }

    [Fact]
    public void Rare_terms_outweigh_common_ones()
    {
        // "fee" occurs in two documents, "grace" in one: a query with both prefers the rare term's document.
        var scores = Score(new Bm25Index(Docs), "grace fee");
        Assert.True(scores[0] > scores[3]);
        var single = Score(new Bm25Index(Docs), "fee");
        Assert.True(Score(new Bm25Index(Docs), "grace")[0] > single[0]);
    }

    [Fact]
    public void Term_frequency_saturates_and_unknown_terms_score_nothing()
    {
        var index = new Bm25Index(Docs);
        Assert.All(Score(index, "zebra xylophone"), s => Assert.Equal(0, s));
        var pool = Score(index, "pool")[1];
        Assert.True(pool > 0);
        Assert.Equal(pool, Score(index, "pool pool pool")[1]);
    }

    [Fact]
    public void Rejects_a_score_buffer_of_the_wrong_size() =>
        Assert.Throws<ArgumentException>(() => new Bm25Index(Docs).Score(["fee"], new double[2]));
}
