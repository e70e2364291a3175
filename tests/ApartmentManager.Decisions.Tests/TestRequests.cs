using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions;
using ApartmentManager.Domain;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions.Tests;

internal static class TestRequests
{
    public static readonly DateTimeOffset Morning = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    public static ResidentRequest Make(
        Category category, Urgency urgency, double risk, RiskLevel level, string message = "Something is wrong in my unit.",
        DateTimeOffset? at = null, IReadOnlyList<string>? evidence = null)
    {
        var now = at ?? Morning;
        return ResidentRequest.Create("req-" + category + "-" + urgency, "res-1", "B1", "4A", Channel.Web, message, now, "res-1")
            .WithClassification(new Classification(category, urgency, 0.9, [], evidence ?? [], "rules", "test"), now)
            .WithRisk(new RiskAssessment(risk, level, [], "test"), now);
    }

    public static IOptionsMonitor<DecisionOptions> Options(Action<DecisionOptions>? configure = null)
    {
        var options = new DecisionOptions();
        configure?.Invoke(options);
        return new StaticOptionsMonitor<DecisionOptions>(options);
    }

    public static async Task<ResidentRequest> SimulatedAsync(ResidentRequest request, IOptionsMonitor<DecisionOptions>? options = null, IPolicyRetriever? retriever = null)
    {
        var simulator = new OptionSimulator(options ?? Options(), retriever);
        var result = await simulator.SimulateAsync(request, new SimulationSettings(Runs: 2000, Seed: 7));
        return request.WithOptions(result, request.UpdatedAt);
    }
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

/// <summary>A few hand-written policy chunks behind the retriever port; scores by shared words.</summary>
internal sealed class InMemoryPolicyRetriever : IPolicyRetriever
{
    public static readonly RetrievedChunk[] Chunks =
    [
        new("POL-001", "Emergency response", "Emergency response SLA", 0, "Emergencies such as flooding, gas, fire or no heat in winter get a response within 1 hour and a technician on site within 4 hours. Emergency dispatch uses the on-call technician after hours.", ["emergency", "sla"], "3"),
        new("POL-002", "Maintenance SLAs", "Maintenance SLAs by urgency", 0, "High priority maintenance is attended within 24 hours, normal within 72 hours, low within 7 days. Scheduling uses the maintenance SLA.", ["maintenance", "sla"], "2"),
        new("POL-014", "Credits", "Billing disputes and credits", 0, "Goodwill credits up to 75 need no approval; billing credits above need a manager; no credit above 250. Ledger review of disputed charges within 5 business days.", ["billing"], "4"),
        new("POL-022", "Letters", "Quiet hours and neighbour mediation", 0, "Quiet hours are 22:00 to 07:00. The first step for a noise complaint is a mediation letter to the neighbour.", ["noise"], "1"),
        new("POL-031", "Evidence", "Resident-caused damage chargebacks", 0, "A chargeback for resident-caused damage requires documented evidence (photos, the resident's statement) and a manager's approval before the repair costs are charged.", ["chargeback"], "2"),
        new("POL-040", "Approval", "Manager approval and escalation", 0, "High risk requests need manager approval; the manager has 4 hours before the request escalates.", ["approval"], "1"),
    ];

    public int Calls { get; private set; }

    public IReadOnlyList<RetrievedChunk> Retrieve(RetrievalQuery query)
    {
        Calls++;
        var words = query.Text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Chunks
            .Select(c => c with { Score = words.Count(w => c.Text.Contains(w, StringComparison.OrdinalIgnoreCase) || c.Title.Contains(w, StringComparison.OrdinalIgnoreCase)) })
            .Where(c => c.Score > 0)
            .OrderByDescending(c => c.Score).ThenBy(c => c.DocumentId)
            .Take(query.Top)
            .ToList();
    }
}
