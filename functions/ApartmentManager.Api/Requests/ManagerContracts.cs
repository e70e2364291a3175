using ApartmentManager.Domain;

namespace ApartmentManager.Api.Requests;

/// <summary>Body of POST /api/v1/requests/{id}/approve (optional): approve another option than the recommendation.</summary>
public sealed record ApproveBody(string? OptionId, string? Note);

/// <summary>Body of POST /api/v1/requests/{id}/reject and /escalate.</summary>
public sealed record ReasonBody(string? Reason);

/// <summary>GET /api/v1/requests/{id}/workflow: where the pipeline stands for a request.</summary>
public sealed record WorkflowView(
    string RequestId,
    RequestStatus Status,
    string RuntimeStatus,
    string? CurrentStep,
    string? AwaitedEvent,
    DateTimeOffset? DueAt,
    string? Detail,
    IReadOnlyList<HistoryEntry> History);
