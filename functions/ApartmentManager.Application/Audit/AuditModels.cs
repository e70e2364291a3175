using ApartmentManager.Application.Ports;

namespace ApartmentManager.Application.Audit;

/// <summary>
/// One thing an admin or the system changed: who, when, what, on which target, a before/after summary and the
/// correlation id of the HTTP call (or message) that caused it. Append-only.
/// </summary>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string TargetType,
    string TargetId,
    string? Before,
    string? After,
    string? CorrelationId);

/// <summary>Filters for the audit trail; every one optional. Newest first.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 50;
    public string? ContinuationToken { get; init; }
}

/// <summary>Where audit entries live. No update or delete: the only change ever made is erasure's pseudonymisation.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Audit action names (stable; filterable).</summary>
public static class AuditActions
{
    public const string StatusChanged = "request.status_changed";
    public const string Approved = "request.approved";
    public const string Rejected = "request.rejected";
    public const string Escalated = "request.escalated";
    public const string Resolved = "request.resolved";
    public const string QueueRedriven = "queue.redriven";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookRedelivered = "webhook.redelivered";
    public const string ResidentExported = "resident.exported";
    public const string ResidentErased = "resident.erased";
}
