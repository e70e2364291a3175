using System.Globalization;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Requests;
using ApartmentManager.Application.Usage;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Admin;

/// <summary><c>GET /api/v1/admin/usage</c>: the AI work requests cost, by building, category and day (admins only).</summary>
public static class UsageHandlers
{
    public static Task<IResult> Usage(HttpContext context, UsageReportService usage, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var query = context.Request.Query;
            var errors = new Dictionary<string, string[]>();
            var from = Instant(query["from"], "from", errors);
            var to = Instant(query["to"], "to", errors);
            var building = query["building"].ToString();
            if (building.Length > 64)
            {
                errors["building"] = ["At most 64 characters."];
            }
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }
            var report = await usage.SummariseAsync(caller, from, to, building.Trim().Length == 0 ? null : building.Trim(), ct);
            return TypedResults.Json(report, ApiJsonContext.Default.UsageReport);
        });

    private static DateTimeOffset? Instant(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }
        errors[name] = ["An ISO 8601 date or date-time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z."];
        return null;
    }
}
