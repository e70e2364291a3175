using ApartmentManager.EmbeddingTraining;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Embeddings;

namespace ApartmentManager.Knowledge.Tests;

[Collection(RetrieverCollection.Name)]
public sealed class EmbeddingModelTests(RetrieverFixture fixture)
{
    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    [Fact]
    public void Shipped_model_is_small_and_versioned()
    {
        Assert.True(new FileInfo(RetrieverFixture.ModelPath).Length < 5 * 1024 * 1024);
        Assert.StartsWith("kb-ppmi-svd-", fixture.Embedder.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(EmbeddingVocabulary.Load(RetrieverFixture.VocabularyPath).Version, fixture.Embedder.ModelVersion);
        Assert.True(fixture.Embedder.Dimensions >= 16);
    }

    [Fact]
    public void Embeddings_are_unit_length_and_unknown_text_is_zero()
    {
        var v = fixture.Embedder.Embed("water is leaking from the ceiling");
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4);
        Assert.All(fixture.Embedder.Embed("qwertyuiop zxcvbnm"), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Related_texts_are_closer_than_unrelated_ones()
    {
        var leak = fixture.Embedder.Embed("water leaking through the ceiling");
        var flood = fixture.Embedder.Embed("burst pipe flooding the bathroom floor");
        var parking = fixture.Embedder.Embed("car towed from the guest parking lot");
        Assert.True(Cosine(leak, flood) > Cosine(leak, parking) + 0.1, $"{Cosine(leak, flood):F3} vs {Cosine(leak, parking):F3}");
    }

    [Fact]
    public void Batch_and_single_embedding_agree()
    {
        string[] texts = ["late rent fee", "mold in the shower", "a much longer text about noise from the neighbors upstairs at night"];
        var batch = fixture.Embedder.EmbedMany(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = fixture.Embedder.Embed(texts[i]);
            Assert.All(single.Zip(batch[i]), p => Assert.Equal(p.First, p.Second, 5));
        }
    }

    [Fact]
    public void Retraining_reproduces_the_shipped_model_and_onnx_runtime_agrees_with_the_trainer()
    {
        // Same seed and data → the same version (a hash of vocabulary and table) as the shipped file; and the
        // ONNX graph computes what the trainer's reference computation says, on real knowledge-base text.
        var trained = PpmiSvdTrainer.Train(KnowledgeBase.LoadEmbedded(), [], new EmbeddingTrainingOptions());
        Assert.True(
            trained.Version == fixture.Embedder.ModelVersion,
            $"Retrained {trained.Version} but shipped {fixture.Embedder.ModelVersion}: the knowledge base or trainer changed; " +
            "rebuild with 'dotnet run --project inference-containers/ApartmentManager.EmbeddingTraining'.");
        foreach (var chunk in fixture.KnowledgeBase.Chunks.Where((_, i) => i % 7 == 0))
        {
            var onnx = fixture.Embedder.Embed(chunk.IndexText);
            var reference = trained.EmbedReference(chunk.IndexText);
            Assert.All(onnx.Zip(reference), p => Assert.Equal(p.Second, p.First, 4));
        }
    }

    [Fact]
    public void A_different_seed_gives_a_different_model() =>
        Assert.NotEqual(
            fixture.Embedder.ModelVersion,
            PpmiSvdTrainer.Train(KnowledgeBase.LoadEmbedded(), [], new EmbeddingTrainingOptions { Seed = 7 }).Version);
}
