using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Rules;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// The input row of the classification heads: the sentence encoder's unit vector (384), then lexical features from
/// the rules — each category's cue score (capped at 4, divided by 4; negated cues already removed) and the urgency
/// floor one-hot (none, low, normal, high, emergency). Written by the training tool and at run time by the same code;
/// <see cref="Recipe"/> is stored in the model and checked on load.
/// </summary>
public static class EncoderHeadFeatures
{
    public const int EmbeddingDimension = 384;
    public static readonly int CategoryColumns = Taxonomy.Categories.Count;
    public static readonly int UrgencyColumns = Taxonomy.Urgencies.Count + 1;
    public static readonly int Dimension = EmbeddingDimension + CategoryColumns + UrgencyColumns;

    public static string Recipe => $"encoder-heads/1:minilm-mean-l2({EmbeddingDimension})+rule-category-scores-cap4/4({CategoryColumns})+rule-urgency-floor-onehot({UrgencyColumns})";

    public static void Write(ReadOnlySpan<float> embedding, RuleResult rules, Span<float> row)
    {
        if (embedding.Length != EmbeddingDimension || row.Length != Dimension)
        {
            throw new ArgumentException($"Expected a {EmbeddingDimension}-dimensional embedding and a {Dimension}-column row.");
        }
        embedding.CopyTo(row);
        var lexical = row[EmbeddingDimension..];
        lexical.Clear();
        foreach (var (category, score) in rules.CategoryScores)
        {
            lexical[(int)category] = (float)(Math.Min(score, 4.0) / 4.0);
        }
        lexical[CategoryColumns + (rules.UrgencyFloor is { } floor ? 1 + (int)floor : 0)] = 1f;
    }

    public static float[] Row(ReadOnlySpan<float> embedding, RuleResult rules)
    {
        var row = new float[Dimension];
        Write(embedding, rules, row);
        return row;
    }
}
