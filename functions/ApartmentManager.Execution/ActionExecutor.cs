using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Execution.Gateways;
using ApartmentManager.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Execution;

/// <summary>
/// Exactly-once execution across instances. Before sending, the action's idempotency key is claimed in the shared
/// execution log (<see cref="IExecutionLog"/>) with a lease: only the claim's holder sends and only its outcome is
/// written, so two instances running the same action never both send. An instance that finds another's live claim
/// waits for its outcome; a claim whose holder died is taken over once its lease expires and re-sent with the same
/// idempotency key, which the gateways deduplicate, so a crash mid-send leaves no second side effect. Within this
/// process a per-key lock keeps callers of the same action from racing each other to the log.
/// </summary>
public sealed class ActionExecutor : IActionExecutor
{
    private const int LockStripes = 64;

    private static readonly string Holder = $"{Environment.MachineName}/{Environment.ProcessId}";

    private readonly IExecutionLog _log;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _poll;
    private readonly IWorkOrderGateway _workOrders;
    private readonly INotificationGateway _notifications;
    private readonly IBillingLedgerGateway _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<ActionExecutor> _logger;
    // Striped, so memory stays bounded however many keys pass through; collisions only serialise unrelated keys.
    private readonly SemaphoreSlim[] _locks;

    public ActionExecutor(
        IExecutionLog log,
        IWorkOrderGateway workOrders,
        INotificationGateway notifications,
        IBillingLedgerGateway ledger,
        IOptions<ExecutionOptions>? options = null,
        TimeProvider? time = null,
        ILogger<ActionExecutor>? logger = null)
    {
        _log = log;
        var o = options?.Value ?? new ExecutionOptions();
        _lease = TimeSpan.FromSeconds(o.LeaseSeconds);
        _poll = TimeSpan.FromMilliseconds(o.LeasePollMilliseconds);
        _workOrders = workOrders;
        _notifications = notifications;
        _ledger = ledger;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ActionExecutor>.Instance;
        _locks = new SemaphoreSlim[LockStripes];
        for (int i = 0; i < LockStripes; i++)
        {
            _locks[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async Task<ExecutionResult> ExecuteAsync(ExecutionPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Validate(plan.RequestId, plan.Actions);
        var records = new List<ExecutionRecord>(plan.Actions.Count);
        for (int i = 0; i < plan.Actions.Count; i++)
        {
            var record = await ExecuteAsync(plan.RequestId, plan.Actions[i], cancellationToken).ConfigureAwait(false);
            records.Add(record);
            if (record.Status == ExecutionStatus.Failed)
            {
                var notes = await CompensateAsync(plan, records, i, record, cancellationToken).ConfigureAwait(false);
                string error = $"{record.Action} ({plan.Actions[i].Step}) failed: {record.Error}"
                    + (notes.Count > 0 ? " Compensations: " + string.Join("; ", notes) + "." : " Nothing to compensate.");
                _logger.LogWarning("Execution of request {RequestId} failed at step {Step}: {Error}", plan.RequestId, plan.Actions[i].Step, error);
                return new ExecutionResult(plan.RequestId, ExecutionStatus.Failed, records, error);
            }
        }
        return new ExecutionResult(plan.RequestId, ExecutionStatus.Succeeded, records, null);
    }

    public Task<ExecutionRecord> ExecuteAsync(string requestId, ExecutionAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        Validate(requestId, [action]);
        string key = References.IdempotencyKey(requestId, action.Step);
        return action switch
        {
            CreateWorkOrder a => RunOnceAsync(requestId, key, a.Action, a.Gateway, a.Command, ct => _workOrders.CreateAsync(a.Command, key, ct), cancellationToken),
            SendNotification a => RunOnceAsync(requestId, key, a.Action, a.Gateway, a.Command, ct => _notifications.SendAsync(a.Command, key, ct), cancellationToken),
            PostLedgerEntry a => RunOnceAsync(requestId, key, a.Action, a.Gateway, a.Command, ct => _ledger.PostAsync(a.Command, key, ct), cancellationToken),
            _ => throw new ArgumentException($"Unknown action type {action.GetType().Name}.", nameof(action)),
        };
    }

    public Task<ExecutionRecord?> GetAsync(string executionId, CancellationToken cancellationToken = default) =>
        _log.GetAsync(executionId, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> ListForRequestAsync(string requestId, CancellationToken cancellationToken = default) =>
        _log.ListForRequestAsync(requestId, cancellationToken);

    private async Task<List<string>> CompensateAsync(ExecutionPlan plan, List<ExecutionRecord> records, int failedIndex, ExecutionRecord failed, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        string reason = $"step {plan.Actions[failedIndex].Step} failed: {failed.Error}";
        for (int i = failedIndex - 1; i >= 0; i--)
        {
            var original = records[i];
            if (original.Status != ExecutionStatus.Succeeded || original.ExternalReference is not { } reference)
            {
                continue;
            }
            string key = original.IdempotencyKey + ":compensate";
            ExecutionRecord? compensation = plan.Actions[i] switch
            {
                CreateWorkOrder => await RunOnceAsync(plan.RequestId, key, "cancel_work_order", GatewayNames.WorkOrders, new { reference, reason },
                    ct => _workOrders.CancelAsync(reference, reason, key, ct), cancellationToken).ConfigureAwait(false),
                PostLedgerEntry => await RunOnceAsync(plan.RequestId, key, "reverse_ledger_entry", GatewayNames.BillingLedger, new { reference, reason },
                    ct => _ledger.ReverseAsync(reference, reason, key, ct), cancellationToken).ConfigureAwait(false),
                // A message already sent cannot be taken back; the resident hears about the failure from the workflow.
                _ => null,
            };
            if (compensation is null)
            {
                continue;
            }
            records.Add(compensation);
            if (compensation.Status == ExecutionStatus.Succeeded)
            {
                var marked = original with { Status = ExecutionStatus.Compensated, Error = $"compensated by {compensation.Id} ({compensation.Action}) because {reason}" };
                await _log.MarkCompensatedAsync(marked.Id, marked.Error, cancellationToken).ConfigureAwait(false);
                records[i] = marked;
                notes.Add($"{compensation.Action} {reference} ({compensation.Id})");
            }
            else
            {
                notes.Add($"{compensation.Action} {reference} FAILED ({compensation.Error}) — needs a person");
            }
        }
        return notes;
    }

    private async Task<ExecutionRecord> RunOnceAsync<TPayload>(
        string requestId, string key, string action, string gateway, TPayload payload,
        Func<CancellationToken, Task<GatewayReceipt>> call, CancellationToken cancellationToken)
    {
        string id = References.ExecutionId(key);
        var gate = _locks[(int)((uint)StableHash(key) % LockStripes)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var claimed = await ClaimAsync(new ExecutionClaimRequest(requestId,
                    new ExecutionRecord(id, key, action, gateway, ExecutionStatus.Pending, 0, _time.GetUtcNow(), null, null, null),
                    JsonSerializer.Serialize(payload, ExecutionJson.Options), Holder, _lease), cancellationToken).ConfigureAwait(false);
                if (claimed.Lease is not { } lease)
                {
                    return claimed.Record;
                }
                var pending = claimed.Record;
                if (claimed.Outcome == ExecutionClaimOutcome.TakenOver)
                {
                    ExecutorLog.TakenOver(_logger, action, id, requestId);
                }

                ExecutionRecord outcome;
                using var span = GatewayTelemetry.StartAction(action, requestId, key);
                span?.SetTag("am.gateway", gateway);
                try
                {
                    var receipt = await call(cancellationToken).ConfigureAwait(false);
                    outcome = pending with
                    {
                        Status = ExecutionStatus.Succeeded,
                        Attempts = pending.Attempts + receipt.Attempts,
                        CompletedAt = _time.GetUtcNow(),
                        ExternalReference = receipt.ExternalReference,
                    };
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Exhausted retries, a rejection, or a bug in an adapter: the action is failed for good, with its reason.
                    outcome = pending with
                    {
                        Status = ExecutionStatus.Failed,
                        Attempts = pending.Attempts + (ex is GatewayException g ? g.Attempts : 1),
                        CompletedAt = _time.GetUtcNow(),
                        Error = ex.Message,
                    };
                    _logger.LogWarning(ex, "Action {Action} ({ExecutionId}) of request {RequestId} failed", action, id, requestId);
                    span.Fail(ex);
                }
                span?.SetTag("am.gateway.status", Names.Of(outcome.Status));
                GatewayTelemetry.Actions.Add(1, new KeyValuePair<string, object?>("action", action),
                    new KeyValuePair<string, object?>("gateway", gateway), new KeyValuePair<string, object?>("status", Names.Of(outcome.Status)));

                if (!await _log.CompleteAsync(lease, outcome, CancellationToken.None).ConfigureAwait(false))
                {
                    // Our lease ran out and another instance took the action over: its outcome is the one that counts.
                    // Claim again: that answers its outcome, waits for it, or takes over from it in turn. Every send
                    // carries the same idempotency key, so the gateway does the action once however often it is sent.
                    ExecutorLog.CompletionRefused(_logger, action, id, requestId);
                    continue;
                }
                _logger.LogInformation("Action {Action} ({ExecutionId}) of request {RequestId} {Status} after {Attempts} attempt(s)",
                    action, id, requestId, outcome.Status, outcome.Attempts);
                return outcome;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Claims the action; while another instance holds a live claim, waits (polling the log) until that claim settles
    /// or its lease expires and can be taken over.
    /// </summary>
    private async Task<ExecutionClaim> ClaimAsync(ExecutionClaimRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            var claim = await _log.ClaimAsync(request, cancellationToken).ConfigureAwait(false);
            if (claim.Outcome != ExecutionClaimOutcome.Held)
            {
                return claim;
            }
            var untilExpiry = (claim.HeldUntil ?? _time.GetUtcNow()) - _time.GetUtcNow();
            var wait = untilExpiry < _poll ? untilExpiry : _poll;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Validate(string requestId, IReadOnlyList<ExecutionAction> actions)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            throw new ArgumentException("A request id is required.", nameof(requestId));
        }
        if (actions.Count == 0)
        {
            throw new ArgumentException("A plan needs at least one action.", nameof(actions));
        }
        var steps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            ArgumentNullException.ThrowIfNull(action);
            if (string.IsNullOrWhiteSpace(action.Step))
            {
                throw new ArgumentException("Every action needs a step name.", nameof(actions));
            }
            if (action.Step.EndsWith(":compensate", StringComparison.Ordinal))
            {
                throw new ArgumentException("Step names ending in ':compensate' are reserved.", nameof(actions));
            }
            if (!steps.Add(action.Step))
            {
                throw new ArgumentException($"Step '{action.Step}' appears twice in the plan.", nameof(actions));
            }
            if (action.Problem() is { } problem)
            {
                throw new InvalidExecutionPlanException($"Step '{action.Step}': {problem}", nameof(actions));
            }
        }
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in s)
            {
                h = (h ^ c) * 16777619;
            }
            return h;
        }
    }
}

internal static partial class ExecutorLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "Action {Action} ({ExecutionId}) of request {RequestId}: the previous holder's lease expired; sending again with the same idempotency key")]
    public static partial void TakenOver(ILogger logger, string action, string executionId, string requestId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning,
        Message = "Action {Action} ({ExecutionId}) of request {RequestId}: outcome not recorded, the claim was taken over by another instance")]
    public static partial void CompletionRefused(ILogger logger, string action, string executionId, string requestId);
}
