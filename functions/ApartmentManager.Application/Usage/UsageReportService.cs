using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;

namespace ApartmentManager.Application.Usage;

/// <summary>The work of the requests of one building, category and day (UTC, by the day the request was created).</summary>
public sealed record UsageRow(
    string Building,
    string Category,
    DateOnly Day,
    int Requests,
    long PromptTokens,
    long CompletionTokens,
    int LlmCalls,
    int CachedLlmCalls,
    double ModelServerMs,
    double SimulationCpuMs,
    IReadOnlyList<ModelTokenUsage> Models);

/// <summary>The answer of <c>GET /api/v1/admin/usage</c>: rows by building, category and day, and their total.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, string? Building, IReadOnlyList<UsageRow> Items, RequestUsage Total, int Requests);

/// <summary>Sums the usage recorded on requests (LLM tokens per model, model-server time, simulation CPU) for admins.</summary>
public sealed class UsageReportService(IRequestStore store, TimeProvider clock)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);
    private const int PageSize = 100;

    public async Task<UsageReport> SummariseAsync(Caller caller, DateTimeOffset? from, DateTimeOffset? to, string? building, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Usage figures need the admin role.");
        }
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end - DefaultRange;
        if (start > end)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["from"] = ["'from' must not be after 'to'."] });
        }
        if (end - start > MaxRange)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["to"] = [$"At most {MaxRange.TotalDays:0} days per report."] });
        }

        var groups = new Dictionary<(string Building, string Category, DateOnly Day), (int Requests, RequestUsage Usage)>();
        string? token = null;
        var count = 0;
        do
        {
            var page = await store.QueryAsync(new RequestQuery
            {
                Building = building,
                CreatedFrom = start,
                CreatedTo = end,
                Limit = PageSize,
                ContinuationToken = token,
            }, ct);
            foreach (var r in page.Items)
            {
                count++;
                var key = (r.Building, r.Classification is { } c ? Names.Of(c.Category) : "unclassified", DateOnly.FromDateTime(r.CreatedAt.UtcDateTime));
                var before = groups.TryGetValue(key, out var found) ? found : (Requests: 0, Usage: RequestUsage.Empty);
                groups[key] = (before.Requests + 1, before.Usage.Plus(r.Usage ?? RequestUsage.Empty));
            }
            token = page.ContinuationToken;
        }
        while (token is not null);

        var rows = groups
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Building, StringComparer.Ordinal).ThenBy(g => g.Key.Category, StringComparer.Ordinal)
            .Select(g => new UsageRow(g.Key.Building, g.Key.Category, g.Key.Day, g.Value.Requests,
                g.Value.Usage.PromptTokens, g.Value.Usage.CompletionTokens, g.Value.Usage.Llm.Sum(m => m.Calls), g.Value.Usage.Llm.Sum(m => m.CachedCalls),
                Math.Round(g.Value.Usage.ModelServerMs, 3), Math.Round(g.Value.Usage.SimulationCpuMs, 3), g.Value.Usage.Llm))
            .ToList();
        var total = groups.Values.Aggregate(RequestUsage.Empty, (acc, g) => acc.Plus(g.Usage));
        return new UsageReport(start, end, building, rows,
            total with { ModelServerMs = Math.Round(total.ModelServerMs, 3), SimulationCpuMs = Math.Round(total.SimulationCpuMs, 3) }, count);
    }
}
