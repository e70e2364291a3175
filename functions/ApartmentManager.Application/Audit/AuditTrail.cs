using ApartmentManager.Application.Requests;

namespace ApartmentManager.Application.Audit;

/// <summary>The correlation id of the operation in progress (set by the API frame per HTTP call), for audit entries.</summary>
public static class CorrelationContext
{
    private static readonly AsyncLocal<string?> Value = new();

    public static string? Current
    {
        get => Value.Value;
        set => Value.Value = value;
    }
}

/// <summary>Records audit entries with the clock and the ambient correlation id; the one way code writes the trail.</summary>
public sealed class AuditTrail(IAuditLog log, TimeProvider clock)
{
    public Task RecordAsync(string actor, string action, string targetType, string targetId, string? before, string? after, CancellationToken ct) =>
        log.AppendAsync(new AuditEntry("aud_" + Guid.NewGuid().ToString("N"), clock.GetUtcNow(), actor, action, targetType, targetId,
            before, after, CorrelationContext.Current), ct);

    public Task RecordAsync(Caller caller, string action, string targetType, string targetId, string? before, string? after, CancellationToken ct) =>
        RecordAsync(caller.Actor, action, targetType, targetId, before, after, ct);

    public Task<Ports.Page<AuditEntry>> QueryAsync(Caller caller, AuditQuery query, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("The audit trail needs the admin role.");
        }
        return log.QueryAsync(query, ct);
    }
}
