using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Rules;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>Builds <see cref="RiskFeatures"/> from a request, its classification and the counts the caller supplies.</summary>
public static class RiskFeaturesBuilder
{
    /// <param name="timeZone">The building's time zone for hour/weekday/season; UTC when null.</param>
    public static RiskFeatures From(ResidentRequest request, Classification classification, RiskHistory? history = null, TimeZoneInfo? timeZone = null) =>
        From(request.Message, request.CreatedAt, classification.Category, classification.Urgency, history, timeZone);

    public static RiskFeatures From(string message, DateTimeOffset createdAt, Category category, Urgency urgency, RiskHistory? history = null, TimeZoneInfo? timeZone = null)
    {
        var local = timeZone is null ? createdAt.ToUniversalTime() : TimeZoneInfo.ConvertTime(createdAt, timeZone);
        history ??= new RiskHistory();
        return new RiskFeatures(
            category,
            urgency,
            RulesEngine.Default.CountHazards(message),
            local.Hour,
            local.DayOfWeek,
            RiskFeatures.SeasonOf(local),
            history.BuildingAgeYears,
            history.IncidentsLast90Days,
            history.RepeatComplaints,
            history.Vulnerable,
            history.DaysSinceLastMaintenance);
    }
}
