using System.Text.Json;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Rules;
using ApartmentManager.Intelligence.Text;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>The committed classification heads over the real sentence encoder (trained by the training tool, never here).</summary>
[Collection(nameof(ModelsCollection))]
public sealed class EncoderClassificationTests(Models models)
{
    [Fact]
    public void Committed_heads_are_small_and_report_the_version_in_metrics_json()
    {
        Assert.True(new FileInfo(Models.PathOf(OnnxEncoderHeads.FileName)).Length < 100 * 1024);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Models.PathOf("metrics.json")));
        Assert.Equal(metrics.RootElement.GetProperty("encoder_heads").GetProperty("model_version").GetString(), models.Heads.Version);
        Assert.Equal(EncoderHeadFeatures.Recipe, metrics.RootElement.GetProperty("encoder_heads").GetProperty("featurizer").GetString());
    }

    [Fact]
    public async Task The_bathroom_fan_that_rattles_is_not_a_pest_problem()
    {
        var c = await models.EncoderClassifier.ClassifyAsync("The bathroom fan rattles loudly when it runs");
        Assert.NotEqual(Category.Pest, c.Category);
        Assert.Equal(models.Heads.Version, c.ModelVersion);
    }

    [Theory]
    [InlineData("The bathroom faucet keeps dripping, can someone take a look", Category.Plumbing)]
    [InlineData("I was charged a late fee even though I paid rent on time", Category.Billing)]
    [InlineData("Upstairs neighbors play loud music until 3am", Category.NoiseNeighbor)]
    [InlineData("my fridge is warm and everything inside is spoiling", Category.Appliance)]
    public async Task English_goes_to_the_encoder_heads(string text, Category expected)
    {
        var c = await models.EncoderClassifier.ClassifyAsync(text);
        Assert.Equal(expected, c.Category);
        Assert.Equal(models.Heads.Version, c.ModelVersion);
    }

    [Theory]
    [InlineData("Hay cucarachas en la cocina", Category.Pest)]
    [InlineData("el fregadero de la cocina pierde agua desde ayer", Category.Plumbing)]
    public async Task Spanish_keeps_the_ngram_model(string text, Category expected)
    {
        Assert.False(LanguageGuess.IsEnglish(text));
        var c = await models.EncoderClassifier.ClassifyAsync(text);
        Assert.Equal(expected, c.Category);
        Assert.Equal(models.TextModel.Version, c.ModelVersion);
    }

    [Fact]
    public async Task Emergency_cues_still_raise_urgency_over_the_heads()
    {
        var c = await models.EncoderClassifier.ClassifyAsync("Quick question about my lease renewal. Also I smell gas in the hallway");
        Assert.Equal(Urgency.Emergency, c.Urgency);
        Assert.Contains(c.Evidence, e => e.Contains("gas", StringComparison.Ordinal));
    }

    [Fact]
    public void Joined_urgency_keeps_the_larger_emergency_probability_and_stays_a_distribution()
    {
        float[] heads = [0.1f, 0.6f, 0.2f, 0.1f];
        float[] ngram = [0.05f, 0.15f, 0.2f, 0.6f];
        var joined = TextModelStage.JoinUrgency(heads, ngram);
        Assert.Equal(0.6f, joined[(int)Urgency.Emergency], 5);
        Assert.Equal(1.0, joined.Sum(), 5);
        Assert.True(joined[(int)Urgency.Normal] > joined[(int)Urgency.Low]);
    }

    [Fact]
    public async Task Batch_equals_one_by_one_with_mixed_languages()
    {
        string[] texts = ["no hot water since yesterday", "¿cuándo es la fumigación?", "sparks from the outlet!!", "the gym treadmill is broken"];
        var batch = await models.EncoderClassifier.ClassifyBatchAsync(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await models.EncoderClassifier.ClassifyAsync(texts[i]);
            Assert.Equal(single.Category, batch[i].Category);
            Assert.Equal(single.Urgency, batch[i].Urgency);
            Assert.Equal(single.ModelVersion, batch[i].ModelVersion);
            Assert.Equal(single.Confidence, batch[i].Confidence, 4);
        }
    }

    [Fact]
    public void Head_features_carry_the_embedding_then_the_rules()
    {
        var embedding = Enumerable.Range(0, EncoderHeadFeatures.EmbeddingDimension).Select(i => i / 1000f).ToArray();
        var row = EncoderHeadFeatures.Row(embedding, RulesEngine.Default.Evaluate("I smell gas in the kitchen"));
        Assert.Equal(EncoderHeadFeatures.Dimension, row.Length);
        Assert.Equal(embedding, row[..EncoderHeadFeatures.EmbeddingDimension]);
        var floor = row[(EncoderHeadFeatures.EmbeddingDimension + EncoderHeadFeatures.CategoryColumns)..];
        Assert.Equal(1f, floor[1 + (int)Urgency.Emergency]);
        Assert.Equal(1f, floor.Sum());
    }
}
