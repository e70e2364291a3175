using ApartmentManager.Domain;

namespace ApartmentManager.Api.Agents;

// Shapes of the agent endpoints (classify, predict-risk, rag, simulate, decide, execute, notify).

/// <summary>One text, or a batch: <c>{ "text" }</c> or <c>{ "items": [ { "text" }, … ] }</c> (at most 64).</summary>
public sealed record ClassifyBody(string? Text, IReadOnlyList<ClassifyItem?>? Items);

public sealed record ClassifyItem(string? Text);

/// <summary>
/// Risk inputs. Category and urgency may be given, or derived from <c>text</c> by the classifier. History fields are
/// optional; unknown ones are left to the model's defaults.
/// </summary>
public sealed record RiskItem(
    string? Text,
    string? Category,
    string? Urgency,
    DateTimeOffset? At,
    double? BuildingAgeYears,
    int? IncidentsLast90Days,
    int? RepeatComplaints,
    bool? Vulnerable,
    double? DaysSinceLastMaintenance);

public sealed record RiskBody(
    string? Text,
    string? Category,
    string? Urgency,
    DateTimeOffset? At,
    double? BuildingAgeYears,
    int? IncidentsLast90Days,
    int? RepeatComplaints,
    bool? Vulnerable,
    double? DaysSinceLastMaintenance,
    IReadOnlyList<RiskItem?>? Items)
{
    public RiskItem Single => new(Text, Category, Urgency, At, BuildingAgeYears, IncidentsLast90Days, RepeatComplaints, Vulnerable, DaysSinceLastMaintenance);
}

public sealed record Batch<T>(IReadOnlyList<T> Items);

/// <summary>Body of POST /api/v1/rag/retrieve.</summary>
public sealed record RetrieveBody(string? Query, IReadOnlyList<string>? Tags, int? Top);

public sealed record RetrievedPassage(string DocumentId, string Section, string Title, double Score, string Text, IReadOnlyList<string> Tags, string Version);

/// <summary>Body of POST /api/v1/simulate and /decide: a stored request, optionally with simulation settings.</summary>
public sealed record SimulateBody(string? RequestId, int? Runs, ulong? Seed, double? StartHourOfDay);

public sealed record DecideBody(string? RequestId);

public sealed record SimulationAnswer(string RequestId, IReadOnlyList<ResolutionOption> Options);

/// <summary>Body of POST /api/v1/execute: carry out one of a request's options (idempotent per request and option).</summary>
public sealed record ExecuteBody(string? RequestId, string? OptionId);

public sealed record ExecutionAnswer(string RequestId, ExecutionStatus Status, IReadOnlyList<ExecutionRecord> Executions, string? Error);

/// <summary>Body of POST /api/v1/notify: a message to a request's resident (idempotent per request and key).</summary>
public sealed record NotifyBody(string? RequestId, string? Subject, string? Message, string? Channel, string? IdempotencyKey);
