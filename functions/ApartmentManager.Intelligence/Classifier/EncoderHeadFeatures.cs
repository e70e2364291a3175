using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Rules;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// The input row of the classification heads: the sentence encoder's unit vector (384), then lexical features from
/// the rules — each category's cue score (capped at 4, divided by 4; negated cues already removed) and the urgency
/// floor one-hot (none, low, normal, high, emergency) — then the <see cref="SeverityLexicon"/>'s marker counts (low,
/// high, emergency; each capped at 3, divided by 3) and whether the message asks a question or exclaims — then the
/// rules' category scores over the primary issue only (<see cref="IssueSegmenter"/>). Written by the
/// training tool and at run time by the same code;
/// <see cref="Recipe"/> is stored in the model and checked on load.
/// </summary>
public static class EncoderHeadFeatures
{
    public const int EmbeddingDimension = 384;
    public static readonly int CategoryColumns = Taxonomy.Categories.Count;
    public static readonly int UrgencyColumns = Taxonomy.Urgencies.Count + 1;
    public const int SeverityColumns = 5;
    public static readonly int Dimension = EmbeddingDimension + CategoryColumns + UrgencyColumns + SeverityColumns + CategoryColumns;

    public static string Recipe => $"encoder-heads/2:minilm-mean-l2({EmbeddingDimension})+rule-category-scores-cap4/4({CategoryColumns})+rule-urgency-floor-onehot({UrgencyColumns})" +
        $"+severity-low-high-emergency-cap3/3-question-exclamation({SeverityColumns})+primary-issue-rule-category-scores-cap4/4({CategoryColumns})";

    public static void Write(ReadOnlySpan<float> embedding, RuleResult rules, SeverityMarkers severity, RuleResult primaryIssue, Span<float> row)
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
        var s = lexical[(CategoryColumns + UrgencyColumns)..];
        s[0] = Math.Min(severity.Low, 3) / 3f;
        s[1] = Math.Min(severity.High, 3) / 3f;
        s[2] = Math.Min(severity.Emergency, 3) / 3f;
        s[3] = severity.Question ? 1f : 0f;
        s[4] = severity.Exclamation ? 1f : 0f;
        var primary = s[SeverityColumns..];
        foreach (var (category, score) in primaryIssue.CategoryScores)
        {
            primary[(int)category] = (float)(Math.Min(score, 4.0) / 4.0);
        }
    }

    public static float[] Row(ReadOnlySpan<float> embedding, RuleResult rules, SeverityMarkers severity, RuleResult primaryIssue)
    {
        var row = new float[Dimension];
        Write(embedding, rules, severity, primaryIssue, row);
        return row;
    }

    /// <summary>The row of <paramref name="text"/>: its rules and severity markers evaluated here.</summary>
    public static float[] Row(ReadOnlySpan<float> embedding, string text, RulesEngine rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var all = rules.Evaluate(text);
        var primary = IssueSegmenter.PrimaryIssue(text);
        return Row(embedding, all, SeverityLexicon.Default.Score(text), ReferenceEquals(primary, text) ? all : rules.Evaluate(primary));
    }
}
