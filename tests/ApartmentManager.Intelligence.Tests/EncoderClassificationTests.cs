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
        var row = EncoderHeadFeatures.Row(embedding, "I smell gas in the kitchen, it's spreading! What do I do?", RulesEngine.Default);
        Assert.Equal(EncoderHeadFeatures.Dimension, row.Length);
        Assert.Equal(embedding, row[..EncoderHeadFeatures.EmbeddingDimension]);
        var lexical = row[EncoderHeadFeatures.EmbeddingDimension..];
        var floor = lexical[EncoderHeadFeatures.CategoryColumns..(EncoderHeadFeatures.CategoryColumns + EncoderHeadFeatures.UrgencyColumns)];
        Assert.Equal(1f, floor[1 + (int)Urgency.Emergency]);
        Assert.Equal(1f, floor.Sum());
        // Severity markers: no low or high marker, one emergency marker ("spreading"), a question and an exclamation.
        var severityStart = EncoderHeadFeatures.CategoryColumns + EncoderHeadFeatures.UrgencyColumns;
        Assert.Equal([0f, 0f, 1f / 3, 1f, 1f], lexical[severityStart..(severityStart + EncoderHeadFeatures.SeverityColumns)]);
        // One issue: the primary issue's category scores are the whole message's.
        Assert.Equal(lexical[..EncoderHeadFeatures.CategoryColumns], lexical[^EncoderHeadFeatures.CategoryColumns..]);
    }

    [Theory]
    [InlineData("The kitchen faucet drips all night. Also, my package never arrived", "The kitchen faucet drips all night. ")]
    [InlineData("el fregadero gotea mucho. Otra cosa: el paquete no llegó", "el fregadero gotea mucho. ")]
    [InlineData("Also the sink leaks", "Also the sink leaks")]
    [InlineData("no marker here at all", "no marker here at all")]
    public void The_primary_issue_is_the_text_before_the_first_topic_change(string text, string primary)
    {
        Assert.Equal(primary, IssueSegmenter.PrimaryIssue(text));
    }

    [Fact]
    public void Primary_issue_features_follow_the_first_issue_of_a_multi_issue_message()
    {
        var embedding = new float[EncoderHeadFeatures.EmbeddingDimension];
        var row = EncoderHeadFeatures.Row(embedding, "The stairs outside my door partly collapsed. Plus is there a spare fuse or breaker label sheet?", RulesEngine.Default);
        var primary = row[^EncoderHeadFeatures.CategoryColumns..];
        Assert.True(primary[(int)Category.Structural] > 0);
        Assert.Equal(0f, primary[(int)Category.Electrical]);
        Assert.True(row[EncoderHeadFeatures.EmbeddingDimension + (int)Category.Electrical] > 0);
    }
}
