using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Application.Privacy;

/// <summary>Everything held about one resident, as the export returns it.</summary>
public sealed record ResidentExport(
    string ResidentId,
    DateTimeOffset ExportedAt,
    IReadOnlyList<ResidentRequest> Requests,
    IReadOnlyList<ExecutionRecord> Executions,
    IReadOnlyList<DomainEvent> Events,
    ResidentEntry? Directory);

/// <summary>What an erasure did. A repeated erasure finds nothing and reports zeros.</summary>
public sealed record ErasureResult(
    string ResidentId,
    string? Pseudonym,
    int RequestsCancelled,
    IReadOnlyDictionary<string, int> RecordsErased,
    bool NothingHeld);

/// <summary>Privacy export (the resident or an admin) and erasure (admin). Both are audited.</summary>
public sealed partial class PrivacyService(
    IRequestStore store,
    IEventLog events,
    IResidentDirectory directory,
    IEnumerable<IPersonalDataHolder> holders,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<PrivacyService> logger)
{
    public const string TargetType = "resident";

    public async Task<ResidentExport> ExportAsync(Caller caller, string residentId, CancellationToken ct)
    {
        if (!caller.CanSee(residentId))
        {
            throw new RequestNotFoundException($"resident/{residentId}");
        }
        var requests = await AllRequestsAsync(residentId, ct);
        var export = new ResidentExport(residentId, clock.GetUtcNow(), requests,
            [.. requests.SelectMany(r => r.Executions)], await events.ForResidentAsync(residentId, ct),
            await directory.GetAsync(residentId, ct));
        // The resident's own id is personal data: the entry names the target only when an admin exported.
        await audit.RecordAsync(caller.IsAdmin ? caller.Actor : "resident:self", AuditActions.ResidentExported, TargetType,
            caller.IsAdmin ? residentId : "self", null, $"{requests.Count} request(s), {export.Events.Count} event(s)", ct);
        return export;
    }

    public async Task<ErasureResult> EraseAsync(Caller caller, string residentId, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Erasing a resident's data needs the admin role.");
        }
        var requests = await AllRequestsAsync(residentId, ct);
        if (requests.Count == 0 && await directory.GetAsync(residentId, ct) is null)
        {
            return new ErasureResult(residentId, null, 0, new Dictionary<string, int>(), NothingHeld: true);
        }

        // Open requests are cancelled first (the pipeline then stops at its next step), so nothing runs on after erasure.
        var cancelled = 0;
        foreach (var request in requests.Where(r => RequestStateMachine.CanTransition(r.Status, RequestStatus.Cancelled)))
        {
            await CancelAsync(request, caller, ct);
            cancelled++;
        }

        var pseudonym = PersonalData.NewPseudonym();
        var scope = new ErasureScope(residentId, pseudonym, [.. requests.Select(r => r.Id)]);
        var erased = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var holder in holders.OrderBy(h => h.RunsLast))
        {
            erased[holder.Name] = await holder.EraseAsync(scope, ct);
        }
        LogErased(pseudonym, requests.Count, cancelled);
        // The audit names the pseudonym, never the erased id.
        await audit.RecordAsync(caller, AuditActions.ResidentErased, TargetType, pseudonym, $"{requests.Count} request(s)",
            string.Join(", ", erased.Select(e => $"{e.Key}: {e.Value}")), ct);
        return new ErasureResult(residentId, pseudonym, cancelled, erased, NothingHeld: false);
    }

    private async Task CancelAsync(ResidentRequest request, Caller caller, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(request.Id, request.ResidentId, ct);
            if (current is null || !RequestStateMachine.CanTransition(current.Value.Status, RequestStatus.Cancelled))
            {
                return;
            }
            try
            {
                await store.ReplaceAsync(current.Value.TransitionTo(RequestStatus.Cancelled, caller.Actor, clock.GetUtcNow(), "resident data erasure"),
                    current.ETag, ct);
                await audit.RecordAsync(caller, AuditActions.StatusChanged, "request", request.Id, Names.Of(current.Value.Status),
                    Names.Of(RequestStatus.Cancelled), ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
            }
        }
    }

    private async Task<List<ResidentRequest>> AllRequestsAsync(string residentId, CancellationToken ct)
    {
        var all = new List<ResidentRequest>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(new RequestQuery { ResidentId = residentId, Limit = 100, ContinuationToken = token }, ct);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    [LoggerMessage(LogLevel.Information, "Resident data erased as {Pseudonym}: {Requests} request(s), {Cancelled} cancelled first")]
    private partial void LogErased(string pseudonym, int requests, int cancelled);
}
