using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>
/// The risk model's input tensor ("features", float [batch, 23]): ten numeric columns then a one-hot of the
/// 13 categories. Unknown values are NaN. Shared by the trainer, the runtime and any model server.
/// </summary>
public static class RiskFeatureVector
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "urgency", "hazard_cues", "hour", "weekday", "season", "building_age_years", "incidents_90d", "repeat_complaints",
        "vulnerable", "days_since_maintenance",
        .. Taxonomy.CategoryNames.Select(n => "category_" + n),
    ];

    public const int NumericCount = 10;
    public static int Count => Names.Count;

    public static float[] ToVector(RiskFeatures f)
    {
        var v = new float[Count];
        Write(f, v);
        return v;
    }

    public static void Write(RiskFeatures f, Span<float> v)
    {
        if (v.Length != Count)
        {
            throw new ArgumentException($"Expected {Count} elements.", nameof(v));
        }
        v.Clear();
        v[0] = (int)f.Urgency;
        v[1] = Math.Clamp(f.HazardCues, 0, 10);
        v[2] = Math.Clamp(f.Hour, 0, 23);
        v[3] = ((int)f.Weekday + 6) % 7; // Monday = 0 … Sunday = 6
        v[4] = (int)f.Season;
        v[5] = Nullable(f.BuildingAgeYears);
        v[6] = Nullable(f.IncidentsLast90Days);
        v[7] = Nullable(f.RepeatComplaints);
        v[8] = f.Vulnerable is { } b ? (b ? 1f : 0f) : float.NaN;
        v[9] = Nullable(f.DaysSinceLastMaintenance);
        v[NumericCount + (int)f.Category] = 1f;
    }

    /// <summary>The row as the model sees it, to keep with the request (NaN, an unknown value, becomes null).</summary>
    public static RiskInputs Inputs(RiskFeatures f)
    {
        var v = ToVector(f);
        return new RiskInputs(Names, [.. v.Select(x => float.IsNaN(x) ? (double?)null : x)]);
    }

    /// <summary>A kept row back as the model's input (null → NaN); null when it was scored with other columns than this build's.</summary>
    public static float[]? FromInputs(RiskInputs? inputs)
    {
        if (inputs is null || inputs.Values.Count != Count || !inputs.Names.SequenceEqual(Names, StringComparer.Ordinal))
        {
            return null;
        }
        var v = new float[Count];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = inputs.Values[i] is { } d ? (float)d : float.NaN;
        }
        return v;
    }

    /// <summary>Readable value of a column for explanations.</summary>
    internal static string? Describe(RiskFeatures f, int column) => column switch
    {
        0 => Taxonomy.Name(f.Urgency),
        1 => f.HazardCues.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => f.Hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + ":00",
        3 => f.Weekday.ToString().ToLowerInvariant(),
        4 => f.Season.ToString().ToLowerInvariant(),
        5 => f.BuildingAgeYears?.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        6 => f.IncidentsLast90Days?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        7 => f.RepeatComplaints?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        8 => f.Vulnerable?.ToString().ToLowerInvariant(),
        9 => f.DaysSinceLastMaintenance?.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        _ => Taxonomy.Name(f.Category),
    };

    private static float Nullable(double? v) => v is { } d && double.IsFinite(d) ? (float)d : float.NaN;
}
