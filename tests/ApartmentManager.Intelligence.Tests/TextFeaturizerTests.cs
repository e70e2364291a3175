using System.Text.Json;
using ApartmentManager.Intelligence.Text;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>
/// The featuriser's allocation-free counting gives, bit for bit, the vector and the feature names of the recipe as
/// first written (strings per feature, a dictionary of counts), kept here as the reference: the committed text model
/// was trained on that.
/// </summary>
public sealed class TextFeaturizerTests
{
    private static readonly string[] EdgeCases =
    [
        "", "   ", "a", "ab", "I", "Leak!!", "no heat, no hot water — since Monday", "unit 4B: rent $1,200 charged twice",
        "Hay cucarachas en la cocina y en el baño", "ÉCOLE ﬁre ｆｕｌｌｗｉｄｔｈ", "don't won't can't", "x y z x y z x y z",
        new string('a', 300) + " " + new string('b', 200), "😀 emoji 😀 only",
        string.Join(' ', Enumerable.Repeat("leak", 80)),
    ];

    public static TheoryData<float> CharWeights => [1f, 0.5f, 2f, 0f];

    [Theory]
    [MemberData(nameof(CharWeights))]
    public void Vectors_and_features_are_those_of_the_reference_recipe(float charWeight)
    {
        var featurizer = new TextFeaturizer(charWeight: charWeight);
        var texts = EdgeCases.Concat(File.ReadLines(Models.PathOf("text-classifier.holdout.jsonl")).Take(300)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)).ToList();
        Assert.True(texts.Count > 200);
        var destination = new float[featurizer.Dimension];
        foreach (var text in texts)
        {
            var expected = Reference(featurizer, text);
            featurizer.Featurize(text, destination);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(destination[i]),
                    $"'{text}' bucket {i}: {destination[i]} instead of {expected[i]}");
            }
            Assert.Equal(ReferenceFeatures(featurizer, text), featurizer.Features(text).ToList());
        }
    }

    [Fact]
    public void Explanation_names_the_ngrams_of_the_winning_buckets_word_features_first()
    {
        var featurizer = new TextFeaturizer();
        const string text = "water leaking under the sink";
        var features = ReferenceFeatures(featurizer, text);
        var word = features.First(f => f.Feature == "w:leaking");
        var gram = features.First(f => f.Feature.StartsWith("c:", StringComparison.Ordinal) && features.All(o => o.Bucket != f.Bucket || o.Feature == f.Feature));
        var evidence = TextModelExplanation.Explain(featurizer, text, [word.Bucket, gram.Bucket, 12345], [0.5f, 0.25f, -1f]);
        Assert.Equal(["w:leaking", gram.Feature], evidence);
    }

    /// <summary>The recipe as first written: a string per feature, a dictionary of counts in first-seen order.</summary>
    private static float[] Reference(TextFeaturizer featurizer, string text)
    {
        var destination = new float[featurizer.Dimension];
        var counts = new Dictionary<int, float>();
        foreach (var (bucket, feature) in ReferenceFeatures(featurizer, text))
        {
            counts[bucket] = counts.GetValueOrDefault(bucket) + (feature[0] == 'c' ? featurizer.CharWeight : 1f);
        }
        double norm = 0;
        foreach (var (bucket, count) in counts)
        {
            var w = count <= 1f ? count : 1f + MathF.Log(count);
            destination[bucket] = w;
            norm += w * w;
        }
        if (norm > 0)
        {
            var inv = (float)(1 / Math.Sqrt(norm));
            foreach (var bucket in counts.Keys)
            {
                destination[bucket] *= inv;
            }
        }
        return destination;
    }

    private static List<(int Bucket, string Feature)> ReferenceFeatures(TextFeaturizer featurizer, string text)
    {
        var list = new List<(int, string)>();
        var tokens = TextNormalizer.Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            var w = "w:" + tokens[i];
            list.Add((featurizer.Bucket(w), w));
            if (i + 1 < tokens.Count)
            {
                var b = "b:" + tokens[i] + " " + tokens[i + 1];
                list.Add((featurizer.Bucket(b), b));
            }
            var padded = "#" + tokens[i] + "#";
            for (var n = 3; n <= 5; n++)
            {
                for (var s = 0; s + n <= padded.Length; s++)
                {
                    var c = "c:" + padded.Substring(s, n);
                    list.Add((featurizer.Bucket(c), c));
                }
            }
        }
        return list;
    }
}
