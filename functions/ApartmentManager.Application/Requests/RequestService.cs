using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Application.Requests;

/// <summary>
/// The request lifecycle use cases behind the HTTP API. Authorization lives here, not in the hosts, so every host
/// enforces the same rules: residents reach only their own requests (others look like 404), admins reach all.
/// </summary>
public sealed partial class RequestService(
    IRequestStore store,
    IWorkflowGateway workflow,
    IOptionGate gate,
    IResidentDirectory directory,
    TimeProvider clock,
    AuditTrail audit,
    ILogger<RequestService> logger)
{
    private const string AuditTarget = "request";

    public async Task<CreateResult> CreateAsync(Caller caller, NewRequest input, string? idempotencyKey, CancellationToken ct)
    {
        if (!caller.IsResident)
        {
            throw new ForbiddenException("Only residents create requests; the resident is taken from the token's subject.");
        }

        input = await ResolveUnitAsync(caller, input, ct);
        var hash = RequestIds.ContentHash(input);
        var id = idempotencyKey is null ? RequestIds.New() : RequestIds.FromIdempotencyKey(caller.Subject, idempotencyKey);
        var request = ResidentRequest.Create(id, caller.Subject, input.Building, input.Unit, input.Channel, input.Message,
            clock.GetUtcNow(), caller.Actor, idempotencyKey, hash);

        Versioned<ResidentRequest> stored;
        try
        {
            stored = await store.CreateAsync(request, ct);
        }
        catch (DuplicateRequestException duplicate) when (idempotencyKey is not null)
        {
            if (duplicate.Existing.Value.ContentHash != hash)
            {
                throw new IdempotencyKeyReusedException(idempotencyKey);
            }
            LogReplayed(duplicate.Existing.Value.Id, caller.Subject);
            // The first attempt may have died between storing and starting; starting is idempotent, so make sure.
            await workflow.StartAsync(duplicate.Existing.Value.Id, caller.Subject, ct);
            return new CreateResult(duplicate.Existing, Replayed: true);
        }

        LogCreated(stored.Value.Id, caller.Subject, input.Building, input.Channel);
        await workflow.StartAsync(stored.Value.Id, caller.Subject, ct);
        return new CreateResult(stored, Replayed: false);
    }

    /// <summary>
    /// The canonical building and unit of a new request. A resident with a directory entry files only for that unit: the
    /// entry is the source, and a request naming another unit is refused.
    /// </summary>
    private async Task<NewRequest> ResolveUnitAsync(Caller caller, NewRequest input, CancellationToken ct)
    {
        var normalized = input with
        {
            Building = UnitAddress.NormalizeBuilding(input.Building),
            Unit = UnitAddress.NormalizeUnit(input.Unit),
        };
        if (await directory.GetAsync(caller.Subject, ct) is not { } entry)
        {
            return normalized;
        }
        if (normalized.Building != entry.Building || normalized.Unit != entry.Unit)
        {
            LogOtherUnitRefused(caller.Subject, normalized.Building, normalized.Unit);
            throw new ForbiddenException(
                $"The resident directory lists you at building '{entry.Building}', unit '{entry.Unit}'; requests can only be filed for that unit.");
        }
        return normalized with { Building = entry.Building, Unit = entry.Unit };
    }

    public async Task<Versioned<ResidentRequest>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        // A resident's own partition is the only place we look for them: another resident's id is simply not there.
        var found = await store.GetAsync(id, caller.IsAdmin ? null : caller.Subject, ct);
        if (found is null || !caller.CanSee(found.Value.ResidentId))
        {
            throw new RequestNotFoundException(id);
        }
        return found;
    }

    public Task<Page<ResidentRequest>> ListAsync(Caller caller, RequestQuery query, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Listing all requests needs the admin role.");
        }
        return store.QueryAsync(Canonical(query), ct);
    }

    /// <summary>Building and unit filters match the stored (canonical) spelling whatever spelling the caller used.</summary>
    private static RequestQuery Canonical(RequestQuery query) => query with
    {
        Building = query.Building is { } b ? UnitAddress.NormalizeBuilding(b) : null,
        Unit = query.Unit is { } u ? UnitAddress.NormalizeUnit(u) : null,
    };

    public Task<Page<ResidentRequest>> ListForResidentAsync(Caller caller, string residentId, RequestQuery query, CancellationToken ct)
    {
        if (!caller.CanSee(residentId))
        {
            // Same answer as a resident with no requests would give a stranger: nothing to see here.
            throw new RequestNotFoundException($"resident/{residentId}");
        }
        return store.QueryAsync(Canonical(query) with { ResidentId = residentId }, ct);
    }

    /// <summary>An admin moves a request to another status, guarded by the ETag the admin last read.</summary>
    public async Task<Versioned<ResidentRequest>> ChangeStatusAsync(
        Caller caller, string id, RequestStatus status, string? note, string? ifMatch, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Changing a request's status needs the admin role.");
        }
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException();
        }
        var current = await GetAsync(caller, id, ct);
        if (current.ETag != ifMatch)
        {
            throw new ConcurrencyConflictException(id);
        }
        var changed = current.Value.TransitionTo(status, caller.Actor, clock.GetUtcNow(), note);
        var saved = await store.ReplaceAsync(changed, ifMatch, ct);
        LogStatusChanged(id, current.Value.Status, status, caller.Actor);
        await audit.RecordAsync(caller, AuditActions.StatusChanged, AuditTarget, id, Names.Of(current.Value.Status), Names.Of(status), ct);
        if (status == RequestStatus.Escalated)
        {
            await workflow.RaiseEventAsync(id, WorkflowEvents.Escalated, note, ct);
        }
        return saved;
    }

    /// <summary>
    /// The resident picks one of the options the decision offered. An option that breaks a hard constraint is refused
    /// (<see cref="OptionForbiddenException"/>, a 409); one that needs approval is accepted and waits for a manager.
    /// </summary>
    public async Task<Versioned<ResidentRequest>> SelectOptionAsync(Caller caller, string id, string optionId, CancellationToken ct)
    {
        var current = await GetAsync(caller, id, ct);
        if (!caller.IsAdmin && current.Value.ResidentId != caller.Subject)
        {
            throw new RequestNotFoundException(id);
        }
        // Validate state and option first (same answers as before), then the policy's verdict on the option.
        current.Value.SelectOption(optionId, caller.Actor, clock.GetUtcNow());
        var chooser = caller.IsAdmin ? OptionChooser.Manager : OptionChooser.Resident;
        var verdict = await gate.CheckAsync(current.Value, optionId, chooser, approvedByManager: false, ct);
        if (verdict.Kind == OptionVerdictKind.Forbidden)
        {
            LogOptionRefused(id, optionId, verdict.Reason);
            throw new OptionForbiddenException(optionId, verdict);
        }
        var saved = await UpdateAsync(caller, id, r => r.SelectOption(optionId, caller.Actor, clock.GetUtcNow()), ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.OptionSelected, optionId, ct);
        return saved;
    }

    /// <summary>An admin closes a request, or its resident confirms the reported work fixed it (with a 1–5 rating).</summary>
    public async Task<Versioned<ResidentRequest>> ResolveAsync(Caller caller, string id, string outcome, int? rating, CancellationToken ct)
    {
        if (!caller.IsAdmin && rating is null)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["rating"] = ["A resident confirming a resolution gives a rating from 1 to 5."] });
        }
        RequestStatus? before = null;
        var saved = await UpdateAsync(caller, id, r =>
        {
            before = r.Status;
            return caller.IsAdmin && r.ResidentId != caller.Subject
                ? r.Resolve(outcome, rating, caller.Actor, clock.GetUtcNow())
                : r.Confirm(outcome, rating!.Value, caller.Actor, clock.GetUtcNow());
        }, ct);
        if (caller.IsAdmin)
        {
            await audit.RecordAsync(caller, AuditActions.Resolved, AuditTarget, id, before is { } b ? Names.Of(b) : null, Names.Of(saved.Value.Status), ct);
        }
        await workflow.RaiseEventAsync(id, WorkflowEvents.ResidentConfirmed, null, ct);
        return saved;
    }

    /// <summary>A manager approves the option awaiting approval (the recommendation unless another is named).</summary>
    public async Task<Versioned<ResidentRequest>> ApproveAsync(Caller caller, string id, string? optionId, string? note, CancellationToken ct)
    {
        RequireAdmin(caller, "Approving needs the admin role.");
        string? approved = null;
        var saved = await UpdateAsync(caller, id, r =>
        {
            RequireStatus(r, RequestStatus.AwaitingManagerApproval, "approved");
            approved = ApprovalCandidate(r, optionId);
            if (approved is null || r.Options.All(o => o.Id != approved))
            {
                throw new UnknownOptionException(approved ?? "(none)");
            }
            return r.RecordManagerApproval(approved, caller.Actor, clock.GetUtcNow(), note);
        }, ct, async r =>
        {
            // A manager's approval satisfies the approval rules, never the hard constraints (unless no option satisfies them).
            var candidate = ApprovalCandidate(r, optionId);
            if (candidate is not null && r.Options.Any(o => o.Id == candidate)
                && await gate.CheckAsync(r, candidate, OptionChooser.Manager, approvedByManager: true, ct) is { Kind: OptionVerdictKind.Forbidden } verdict)
            {
                throw new OptionForbiddenException(candidate, verdict);
            }
        });
        await audit.RecordAsync(caller, AuditActions.Approved, AuditTarget, id, Names.Of(RequestStatus.AwaitingManagerApproval), $"approved {approved}", ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.ManagerApproved, approved, ct);
        return saved;
    }

    /// <summary>
    /// What a manager's approval approves: the option named, else the one chosen, else the recommendation — except while
    /// a ledger review's verified credit is held for approval, when it is that credit and nothing else.
    /// </summary>
    private static string? ApprovalCandidate(ResidentRequest r, string? optionId)
    {
        if (r.HeldFindingCredit is { } credit)
        {
            return optionId is null || optionId == credit.Id
                ? credit.Id
                : throw new DomainException($"This request awaits approval of the ledger review's credit '{credit.Id}'; '{optionId}' cannot be approved now.");
        }
        return optionId ?? r.SelectedOptionId ?? r.Decision?.RecommendedOptionId;
    }

    /// <summary>
    /// A manager rejects what awaits approval: an option — the workflow escalates with the reason; a ledger review's
    /// held credit — nothing is posted, the resident is told, and the request waits for the resident's confirmation.
    /// </summary>
    public async Task<Versioned<ResidentRequest>> RejectAsync(Caller caller, string id, string reason, CancellationToken ct)
    {
        RequireAdmin(caller, "Rejecting needs the admin role.");
        var saved = await UpdateAsync(caller, id, r =>
        {
            RequireStatus(r, RequestStatus.AwaitingManagerApproval, "rejected");
            return r.Record(ResidentRequest.ManagerRejectedEvent, caller.Actor, clock.GetUtcNow(), reason);
        }, ct);
        await audit.RecordAsync(caller, AuditActions.Rejected, AuditTarget, id, Names.Of(RequestStatus.AwaitingManagerApproval), "rejected", ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.ManagerRejected, reason, ct);
        return saved;
    }

    /// <summary>A manager takes a request out of the automatic flow.</summary>
    public async Task<Versioned<ResidentRequest>> EscalateAsync(Caller caller, string id, string reason, CancellationToken ct)
    {
        RequireAdmin(caller, "Escalating needs the admin role.");
        RequestStatus? before = null;
        var saved = await UpdateAsync(caller, id, r =>
        {
            before = r.Status;
            return r.TransitionTo(RequestStatus.Escalated, caller.Actor, clock.GetUtcNow(), reason);
        }, ct);
        await audit.RecordAsync(caller, AuditActions.Escalated, AuditTarget, id, before is { } b ? Names.Of(b) : null, Names.Of(RequestStatus.Escalated), ct);
        await workflow.RaiseEventAsync(id, WorkflowEvents.Escalated, reason, ct);
        return saved;
    }

    private static void RequireAdmin(Caller caller, string message)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException(message);
        }
    }

    private static void RequireStatus(ResidentRequest r, RequestStatus status, string verb)
    {
        if (r.Status != status)
        {
            throw new DomainException($"Only a request awaiting manager approval can be {verb}; this one is '{Names.Of(r.Status)}'.");
        }
    }

    /// <summary>Read, change, write with the ETag read; on a lost race read again and re-apply (bounded).</summary>
    /// <param name="check">An asynchronous check of the read request that runs after <paramref name="change"/> accepted it.</param>
    public async Task<Versioned<ResidentRequest>> UpdateAsync(
        Caller caller, string id, Func<ResidentRequest, ResidentRequest> change, CancellationToken ct, Func<ResidentRequest, Task>? check = null)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(caller, id, ct);
            var changed = change(current.Value);
            if (check is not null)
            {
                await check(current.Value);
            }
            try
            {
                return await store.ReplaceAsync(changed, current.ETag, ct);
            }
            catch (ConcurrencyConflictException) when (attempt < attempts)
            {
                LogRetryingAfterConflict(id, attempt);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Request {RequestId} created by {ResidentId} in {Building} via {Channel}")]
    private partial void LogCreated(string requestId, string residentId, string building, Channel channel);

    [LoggerMessage(LogLevel.Information, "Create of request {RequestId} by {ResidentId} replayed from its Idempotency-Key")]
    private partial void LogReplayed(string requestId, string residentId);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} moved from {From} to {To} by {Actor}")]
    private partial void LogStatusChanged(string requestId, RequestStatus from, RequestStatus to, string actor);

    [LoggerMessage(LogLevel.Warning, "Resident {ResidentId} tried to file for {Building}/{Unit}, which is not their unit in the directory")]
    private partial void LogOtherUnitRefused(string residentId, string building, string unit);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: option {OptionId} refused: {Reason}")]
    private partial void LogOptionRefused(string requestId, string optionId, string reason);

    [LoggerMessage(LogLevel.Debug, "Request {RequestId} changed concurrently; retrying (attempt {Attempt})")]
    private partial void LogRetryingAfterConflict(string requestId, int attempt);
}
