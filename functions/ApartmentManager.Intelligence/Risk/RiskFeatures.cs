using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Risk;

[JsonConverter(typeof(SnakeCaseEnumConverter<Season>))]
public enum Season
{
    Winter,
    Spring,
    Summer,
    Autumn,
}

/// <summary>
/// What the risk model sees. Nullable fields are unknown when null; the model was trained with missing values
/// and routes them down a learned default branch rather than pretending they are zero.
/// </summary>
/// <param name="HazardCues">Distinct non-negated hazard cues in the message (gas, fire, flooding, sparks, no heat…).</param>
/// <param name="Hour">Local hour the request arrived, 0–23.</param>
/// <param name="RepeatComplaints">Earlier complaints by this resident about the same issue.</param>
/// <param name="Vulnerable">A vulnerable occupant (elderly, infant, disability, medical device), when the resident told us.</param>
public sealed record RiskFeatures(
    Category Category,
    Urgency Urgency,
    int HazardCues,
    int Hour,
    DayOfWeek Weekday,
    Season Season,
    double? BuildingAgeYears = null,
    int? IncidentsLast90Days = null,
    int? RepeatComplaints = null,
    bool? Vulnerable = null,
    double? DaysSinceLastMaintenance = null)
{
    /// <summary>Meteorological seasons of the northern hemisphere.</summary>
    public static Season SeasonOf(DateTimeOffset time) => time.Month switch
    {
        12 or 1 or 2 => Season.Winter,
        3 or 4 or 5 => Season.Spring,
        6 or 7 or 8 => Season.Summer,
        _ => Season.Autumn,
    };
}

/// <summary>What the caller knows about the unit and resident beyond the message itself.</summary>
public sealed record RiskHistory(
    int? IncidentsLast90Days = null,
    int? RepeatComplaints = null,
    double? BuildingAgeYears = null,
    bool? Vulnerable = null,
    double? DaysSinceLastMaintenance = null);
