using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.Inference.Server.Endpoints;

/// <summary>Checks a request against the server's limits; every problem is reported at once, keyed by JSON path.</summary>
public static class RequestValidation
{
    public static Dictionary<string, string[]> Texts(IReadOnlyList<string>? texts, InferenceServerOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (texts is null)
        {
            errors["texts"] = ["'texts' is required: an array of 1 to " + options.MaxItemsPerRequest + " strings."];
            return errors;
        }
        if (texts.Count == 0 || texts.Count > options.MaxItemsPerRequest)
        {
            errors["texts"] = [$"'texts' must hold 1 to {options.MaxItemsPerRequest} items; it holds {texts.Count}."];
            return errors;
        }
        for (var i = 0; i < texts.Count; i++)
        {
            var t = texts[i];
            if (t is null)
            {
                errors[$"texts[{i}]"] = ["Must be a string, not null."];
            }
            else if (string.IsNullOrWhiteSpace(t))
            {
                errors[$"texts[{i}]"] = ["Must not be empty."];
            }
            else if (t.Length > options.MaxTextLength)
            {
                errors[$"texts[{i}]"] = [$"Is {t.Length} characters long; the limit is {options.MaxTextLength}."];
            }
        }
        return errors;
    }

    public static Dictionary<string, string[]> RiskRows(IReadOnlyList<RiskFeatures?>? rows, InferenceServerOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (rows is null)
        {
            errors["rows"] = ["'rows' is required: an array of 1 to " + options.MaxItemsPerRequest + " feature rows."];
            return errors;
        }
        if (rows.Count == 0 || rows.Count > options.MaxItemsPerRequest)
        {
            errors["rows"] = [$"'rows' must hold 1 to {options.MaxItemsPerRequest} items; it holds {rows.Count}."];
            return errors;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r is null)
            {
                errors[$"rows[{i}]"] = ["Must be an object, not null."];
                continue;
            }
            var problems = new List<string>();
            if (!Enum.IsDefined(r.Category)) problems.Add("category is not a known category.");
            if (!Enum.IsDefined(r.Urgency)) problems.Add("urgency is not a known level.");
            if (!Enum.IsDefined(r.Weekday)) problems.Add("weekday is not a day of the week.");
            if (!Enum.IsDefined(r.Season)) problems.Add("season is not a season.");
            if (r.Hour is < 0 or > 23) problems.Add("hour must be 0 to 23.");
            if (r.HazardCues is < 0 or > 100) problems.Add("hazardCues must be 0 to 100.");
            if (r.IncidentsLast90Days is < 0) problems.Add("incidentsLast90Days must not be negative.");
            if (r.RepeatComplaints is < 0) problems.Add("repeatComplaints must not be negative.");
            if (r.BuildingAgeYears is { } age && (!double.IsFinite(age) || age < 0 || age > 1000)) problems.Add("buildingAgeYears must be 0 to 1000.");
            if (r.DaysSinceLastMaintenance is { } days && (!double.IsFinite(days) || days < 0 || days > 100_000)) problems.Add("daysSinceLastMaintenance must be 0 to 100000.");
            if (problems.Count > 0)
            {
                errors[$"rows[{i}]"] = [.. problems];
            }
        }
        return errors;
    }
}
