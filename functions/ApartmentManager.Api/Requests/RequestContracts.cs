using ApartmentManager.Domain;

namespace ApartmentManager.Api.Requests;

// The API's request and response shapes. Outside clients rely on these names.

/// <summary>Body of POST /api/v1/requests. The resident is the token's subject, never a body field.</summary>
public sealed record CreateRequestBody(string? Building, string? Unit, string? Message, string? Channel);

/// <summary>Body of PUT /api/v1/requests/{id}: an admin moves the request to another status.</summary>
public sealed record StatusChangeBody(string? Status, string? Note);

/// <summary>Body of POST /api/v1/requests/{id}/select-option.</summary>
public sealed record SelectOptionBody(string? OptionId);

/// <summary>Body of POST /api/v1/requests/{id}/resolve.</summary>
public sealed record ResolveBody(string? Outcome, int? Rating);

/// <summary>A request as the API shows it.</summary>
public sealed record RequestResource(
    string Id,
    string ResidentId,
    string Building,
    string Unit,
    Channel Channel,
    string Message,
    RequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Classification? Classification,
    RiskAssessment? Risk,
    IReadOnlyList<ResolutionOption> Options,
    Decision? Decision,
    string? SelectedOptionId,
    IReadOnlyList<ExecutionRecord> Executions,
    Resolution? Resolution,
    IReadOnlyList<HistoryEntry> History)
{
    public static RequestResource From(ResidentRequest r) => new(
        r.Id, r.ResidentId, r.Building, r.Unit, r.Channel, r.Message, r.Status, r.CreatedAt, r.UpdatedAt,
        r.Classification, r.Risk, r.Options, r.Decision, r.SelectedOptionId, r.Executions, r.Resolution, r.History);
}

/// <summary>One page of a listing; pass <c>continuationToken</c> back to get the next.</summary>
public sealed record RequestList(IReadOnlyList<RequestResource> Items, string? ContinuationToken);
