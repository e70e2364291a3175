namespace ApartmentManager.Intelligence.Text;

/// <summary>
/// Turns the text model's top feature columns into readable evidence. Shared by the in-process model and the model
/// server so both explain an answer identically.
/// </summary>
public static class TextModelExplanation
{
    /// <summary>Maps winning feature columns back to the n-grams of this text that hash there (word features preferred).</summary>
    public static List<string> Explain(TextFeaturizer featurizer, string text, ReadOnlySpan<long> indices, ReadOnlySpan<float> scores)
    {
        var wanted = new Dictionary<int, string?>();
        for (var j = 0; j < indices.Length; j++)
        {
            if (scores[j] > 0)
            {
                wanted[(int)indices[j]] = null;
            }
        }
        if (wanted.Count == 0)
        {
            return [];
        }
        // Only the names of wanted buckets become strings: the first feature there, or the first word feature after it.
        featurizer.ForEachFeature(text, ref wanted, static (ref Dictionary<int, string?> wanted, int bucket, ReadOnlySpan<char> feature) =>
        {
            if (wanted.TryGetValue(bucket, out var existing) && (existing is null || (!existing.StartsWith("w:", StringComparison.Ordinal) && feature.StartsWith("w:", StringComparison.Ordinal))))
            {
                wanted[bucket] = feature.ToString();
            }
        });
        var list = new List<string>(wanted.Count);
        for (var j = 0; j < indices.Length; j++)
        {
            // Digits stay out of evidence so an account or phone number is never echoed back as a "feature".
            if (scores[j] > 0 && wanted.TryGetValue((int)indices[j], out var f) && f is not null && !f.Any(char.IsDigit) && !list.Contains(f))
            {
                list.Add(f);
            }
        }
        return list;
    }
}
