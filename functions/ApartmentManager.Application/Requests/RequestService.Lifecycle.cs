using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Application.Requests;

/// <summary>A report on a request's open work from the maintenance system (its signed webhook).</summary>
/// <param name="EventId">The maintenance system's unique id of this report: a report seen before changes nothing.</param>
public sealed record WorkReport(string EventId, string RequestId, WorkState State, DateTimeOffset? OccurredAt, decimal? ActualCost, string? Note);

/// <summary>What the office's ledger review found, as a manager reports it (validated by the caller: see <see cref="LedgerFinding.Check"/>).</summary>
/// <param name="Amount">The amount of the charge found wrong; null or 0 when the charge was right.</param>
/// <param name="Note">The office's internal note, shown to managers only.</param>
public sealed record FindingReport(bool ChargeWrong, decimal? Amount, string? Note);

/// <summary>What a work report did: the request after it, and whether it was a replay of a report already applied.</summary>
public sealed record WorkReportResult(Versioned<ResidentRequest> Request, bool Duplicate);

// The request's life before triage (clarifying questions) and after execution (work, confirmation, reopening).
public sealed partial class RequestService
{
    public const string MaintenanceActor = "maintenance";

    /// <summary>The resident answers the clarifying question; the workflow triages the request again with both texts.</summary>
    public async Task<Versioned<ResidentRequest>> ReplyAsync(Caller caller, string id, string message, CancellationToken ct)
    {
        var saved = await UpdateAsync(caller, id, r =>
        {
            RequireOwnResident(caller, r, id, "Only the resident who filed the request answers its question.");
            return r.Reply(message, caller.Actor, clock.GetUtcNow());
        }, ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.ResidentReplied, null, ct);
        return saved;
    }

    /// <summary>The resident says the work did not fix it: carried out again with raised urgency (or escalated).</summary>
    public async Task<Versioned<ResidentRequest>> ReopenAsync(Caller caller, string id, string reason, CancellationToken ct)
    {
        var saved = await UpdateAsync(caller, id, r =>
        {
            RequireOwnResident(caller, r, id, "Only the resident who filed the request reopens it.");
            return r.Reopen(reason, caller.Actor, clock.GetUtcNow());
        }, ct);
        LogReopened(id, saved.Value.ReopenCount);
        await workflow.RaiseEventAsync(id, WorkflowEvents.ResidentReopened, reason, ct);
        return saved;
    }

    /// <summary>
    /// A manager reports the open work (or office task) complete: the resident is asked to confirm. Completing the
    /// office's ledger review records what it found (<paramref name="finding"/>, required then and refused otherwise);
    /// a charge found wrong makes the workflow post the verified credit of the amount found wrong.
    /// </summary>
    public async Task<Versioned<ResidentRequest>> CompleteAsync(
        Caller caller, string id, string outcome, decimal? actualCost, string? note, CancellationToken ct, FindingReport? finding = null)
    {
        RequireAdmin(caller, "Reporting work complete needs the admin role.");
        var saved = await UpdateAsync(caller, id, r =>
        {
            if (r.IsLedgerReview && finding is null)
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>
                {
                    ["finding"] = ["Completing a ledger review records what it found: {\"chargeWrong\": true|false, \"amount\": the amount found wrong, \"note\"?}."],
                });
            }
            if (!r.IsLedgerReview && finding is not null)
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>
                {
                    ["finding"] = ["Only the completion of a ledger review carries a finding."],
                });
            }
            var now = clock.GetUtcNow();
            var found = finding is null ? null : new LedgerFinding(finding.ChargeWrong, finding.Amount ?? 0m, finding.Note, caller.Actor, now);
            return r.ReportWork(new WorkUpdate(WorkState.Completed, now, caller.Actor, Note: note), actualCost, outcome, now, found);
        }, ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.WorkCompleted, null, ct);
        return saved;
    }

    /// <summary>
    /// The maintenance system reports on a work order (its webhook, already authenticated by signature). Idempotent by
    /// event id: a replayed report answers as the first did and changes nothing.
    /// </summary>
    public async Task<WorkReportResult> ReportWorkAsync(WorkReport report, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(report.RequestId, cancellationToken: ct) ?? throw new RequestNotFoundException(report.RequestId);
            if (current.Value.Work.Any(w => w.HasEvent(report.EventId)))
            {
                return new WorkReportResult(current, Duplicate: true);
            }
            var now = clock.GetUtcNow();
            var update = new WorkUpdate(report.State, report.OccurredAt ?? now, MaintenanceActor, report.EventId, report.Note);
            var changed = current.Value.ReportWork(update, report.ActualCost, report.State == WorkState.Completed ? report.Note ?? "completed" : null, now);
            try
            {
                var saved = await store.ReplaceAsync(changed, current.ETag, ct);
                LogWorkReported(report.RequestId, report.State, report.EventId);
                await workflow.RaiseEventAsync(report.RequestId,
                    report.State == WorkState.Completed ? WorkflowEvents.WorkCompleted : WorkflowEvents.WorkUpdated, Names.Of(report.State), ct);
                return new WorkReportResult(saved, Duplicate: false);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
            }
        }
    }

    private static void RequireOwnResident(Caller caller, ResidentRequest r, string id, string message)
    {
        if (r.ResidentId != caller.Subject)
        {
            if (caller.IsAdmin)
            {
                throw new ForbiddenException(message);
            }
            throw new RequestNotFoundException(id);
        }
    }

    [LoggerMessage(LogLevel.Information, "Request {RequestId} reopened by its resident ({ReopenCount} times)")]
    private partial void LogReopened(string requestId, int reopenCount);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: work reported {State} (event {EventId})")]
    private partial void LogWorkReported(string requestId, WorkState state, string eventId);
}
