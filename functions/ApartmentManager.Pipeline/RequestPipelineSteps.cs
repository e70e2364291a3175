using System.Globalization;
using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Policy;
using ApartmentManager.Domain;
using ApartmentManager.Execution;
using ApartmentManager.Execution.Gateways;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Observability;
using ApartmentManager.Observability.Usage;
using ApartmentManager.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Pipeline;

/// <summary>
/// The workflow's steps over a stored request. Every step is idempotent: it re-reads the request, returns at once if
/// the request is already past that step (or was closed by a person), and otherwise does the work and saves with the
/// ETag it read. Durable activities and the embedded runner may deliver a step more than once; nothing happens twice.
/// </summary>
public sealed partial class RequestPipelineSteps(
    IRequestStore store,
    IRequestClassifier classifier,
    IRiskPredictor risk,
    IOptionSimulator simulator,
    IDecisionPolicy policy,
    OptionGate gate,
    IActionExecutor executor,
    IOptions<DecisionOptions> decisionOptions,
    IOptions<LifecycleOptions> lifecycleOptions,
    QuestionPhraser phraser,
    TimeProvider clock,
    ILogger<RequestPipelineSteps> logger,
    ApartmentManager.Decisions.Calibration.ICalibrationSource? calibration = null,
    IRiskModelSource? riskModels = null) : IPipelineSteps
{
    private const string System = "system";
    private const string AlreadyDone = "already done";

    /// <summary>Classifies the message; after a reply to a clarifying question, the message and the replies together.</summary>
    public async Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct)
    {
        var current = (await LoadAsync(input.RequestId, ct)).Value;
        if (current.Status == RequestStatus.AwaitingResidentInfo && current.Question is null)
        {
            return await AdvanceAsync(input, RequestStatus.AwaitingResidentInfo, async r =>
            {
                using var llmCaller = ApartmentManager.Intelligence.Llm.LlmCaller.Begin(r.ResidentId); // the resident's LLM budget
                return r.WithClassification(await classifier.ClassifyAsync(r.TriageText, ct), clock.GetUtcNow());
            }, ct);
        }
        return await AdvanceAsync(input, RequestStatus.Received, async r =>
        {
            using var llmCaller = ApartmentManager.Intelligence.Llm.LlmCaller.Begin(r.ResidentId); // the resident's LLM budget
            return r.WithClassification(await classifier.ClassifyAsync(r.Message, ct), clock.GetUtcNow());
        }, ct);
    }

    /// <summary>
    /// Asks the resident one targeted question when triage is unsure (never for an emergency; at most two per request).
    /// What to ask comes from the question bank; its wording from the LLM when one is configured (the prompt's id and
    /// version recorded on the question, its tokens on the request's usage), else from the bank.
    /// </summary>
    public async Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct)
    {
        var options = lifecycleOptions.Value.Questions;
        var sla = TimeSpan.FromHours(options.ReplySlaHours);
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(input.RequestId, ct);
            var r = current.Value;
            if (r.Status != RequestStatus.Classified || r.Classification is not { } c
                || QuestionBank.Ambiguity(r, c, options) is not { } reason)
            {
                // Asked already (a redelivered step), or nothing to ask.
                return r.Question is { } asked && r.Status == RequestStatus.AwaitingResidentInfo
                    ? new QuestionOutcome(true, asked.DueAt - asked.AskedAt, r.Status, asked.Text)
                    : new QuestionOutcome(false, sla, r.Status);
            }
            var number = r.Questions.Count + 1;
            ResidentRequest changed;
            using (var usage = UsageRecorder.Begin(r.Id, r.ResidentId))
            {
                PhrasedQuestion phrased;
                using (ApartmentManager.Intelligence.Llm.LlmCaller.Begin(r.ResidentId)) // the resident's LLM budget
                {
                    phrased = await phraser.PhraseAsync(r, reason, number, c, ct);
                }
                var now = clock.GetUtcNow();
                changed = r.Ask(new ClarifyingQuestion(number, reason, phrased.Text, now, now + sla, Prompt: phrased.Prompt), now);
                var spent = usage.Recorder.Snapshot();
                if (!spent.IsEmpty)
                {
                    changed = changed with { Usage = (changed.Usage ?? RequestUsage.Empty).Plus(spent) };
                }
            }
            try
            {
                var saved = (await store.ReplaceAsync(changed, current.ETag, ct)).Value;
                var asked = saved.Question!;
                return new QuestionOutcome(true, asked.DueAt - asked.AskedAt, saved.Status, asked.Text);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Someone changed it meanwhile: look again (a second phrasing is a cache hit).
            }
        }
    }

    public Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct) =>
        AdvanceAsync(input, RequestStatus.Classified, async r =>
        {
            var features = RiskFeaturesBuilder.From(r, r.Classification!, await HistoryOfAsync(r, ct));
            // A model retrained from outcomes, when the active learned parameter set has one; else the configured model.
            var model = riskModels is null ? risk : await riskModels.GetActiveAsync(ct) ?? risk;
            var assessed = await model.PredictAsync(features, ct);
            if (calibration is not null && await calibration.GetActiveAsync(ct) is { } learned)
            {
                assessed = Recalibrated(assessed, r.Building, learned);
            }
            return r.WithRisk(assessed, clock.GetUtcNow(), RiskFeatureVector.Inputs(features));
        }, ct);

    public Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct) =>
        AdvanceAsync(input, RequestStatus.RiskAssessed, async r =>
            r.WithOptions(await simulator.SimulateAsync(r, cancellationToken: ct), clock.GetUtcNow()), ct);

    public async Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct)
    {
        // The request as saved (or as found, when the step was done already): no second read.
        var (decided, request) = await AdvanceToAsync(input, RequestStatus.OptionsSimulated, async r =>
            r.WithDecision(policy.Decide(r, await gate.FactsAsync(r, ct)), clock.GetUtcNow()), ct);
        var decision = request.Decision ?? throw new InvalidOperationException($"Request {request.Id} has no decision after the decide step.");
        if (decided.Detail != AlreadyDone)
        {
            WorkflowTelemetry.Decisions.Add(1, new KeyValuePair<string, object?>("next_step", Names.Of(decision.NextStep)));
        }
        var recommended = request.Options.First(o => o.Id == decision.RecommendedOptionId);
        var sla = decisionOptions.Value;
        return new DecisionOutcome(
            decision.NextStep,
            decision.RecommendedOptionId,
            TimeSpan.FromHours(sla.ResidentChoiceSlaHours),
            TimeSpan.FromHours(sla.ManagerApprovalSlaHours),
            // Money moves (credits, chargebacks) and non-compliant options are never chosen for a silent resident.
            AutoSelectOnTimeout: recommended.Simulation.PolicyCompliant
                && recommended.Kind is not (OptionKinds.BillingCredit or OptionKinds.RepairWithChargeback),
            request.Status);
    }

    public Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct) =>
        AdvanceAsync(input, RequestStatus.Decided, r => Task.FromResult(
            r.TransitionTo(RequestStatus.AwaitingResidentChoice, System, clock.GetUtcNow(), "waiting for the resident to choose an option")), ct);

    public async Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct) =>
        Done(await ChangeAsync(input, r => r.Status is RequestStatus.Decided or RequestStatus.AwaitingResidentChoice
            ? r.TransitionTo(RequestStatus.AwaitingManagerApproval, System, clock.GetUtcNow(), "waiting for a manager's approval")
            : r, ct));

    public async Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct) =>
        Done(await ChangeAsync(input, r => r.SelectedOptionId == input.OptionId
            ? r
            : r.WithSelectedOption(input.OptionId!, System, clock.GetUtcNow()).Record("auto_selected", System, clock.GetUtcNow(), input.Reason), ct));

    public async Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct)
    {
        var optionId = input.OptionId ?? throw new ArgumentException("The execute step needs an option id.", nameof(input));
        var read = await LoadAsync(input.RequestId, ct);
        var current = read.Value;
        if (current.Status is RequestStatus.Decided or RequestStatus.AwaitingResidentChoice or RequestStatus.AwaitingManagerApproval)
        {
            // Whoever chose it, the option is judged again, with the facts as they are now, before anything happens.
            var chooser = input.ChosenBy ?? OptionChooser.System;
            var verdict = await gate.CheckAsync(current, optionId, chooser, current.IsApprovedByManager(optionId), ct);
            if (verdict.Kind != OptionVerdictKind.Allowed)
            {
                var evt = verdict.Kind == OptionVerdictKind.Forbidden ? "option_refused" : "option_needs_approval";
                await ChangeAsync(input, r => r.History.Count > 0 && r.History[^1].Event == evt ? r
                    : r.Record(evt, System, clock.GetUtcNow(), $"{optionId} (chosen by {Names.Of(chooser)}): {verdict.Reason}"), ct);
                return verdict.Kind == OptionVerdictKind.Forbidden
                    ? new ExecutionOutcome(false, [], verdict.Reason, Refused: true)
                    : new ExecutionOutcome(false, [], null, NeedsApproval: verdict.Reason);
            }
        }
        // The request as read above is the first try of each change (a conflict reads it again): one read per step.
        var startedVersion = await ChangeVersionedAsync(input, read, r =>
        {
            if (r.Status is not (RequestStatus.Decided or RequestStatus.AwaitingResidentChoice or RequestStatus.AwaitingManagerApproval))
            {
                return r; // already executing (a redelivered step) or closed (checked below)
            }
            var now = clock.GetUtcNow();
            var chosen = r.SelectedOptionId == optionId ? r : r.WithSelectedOption(optionId, System, now);
            return chosen.TransitionTo(RequestStatus.Executing, System, now, $"carrying out {optionId}");
        }, ct);
        var started = startedVersion.Value;
        if (started.Status != RequestStatus.Executing)
        {
            return new ExecutionOutcome(false, [], $"the request is '{Names.Of(started.Status)}', not ready to execute");
        }

        // Each action's idempotency key is (request, option:action): a redelivered step returns the first results.
        var result = await executor.ExecuteAsync(ExecutionPlanner.ForOption(started, optionId, decisionOptions.Value, input.Round), ct);
        await ChangeVersionedAsync(input, startedVersion, r => result.Records.Aggregate(r, (acc, record) =>
            acc.Executions.Contains(record) ? acc : acc.WithExecution(record, clock.GetUtcNow())), ct);
        LogExecuted(input.RequestId, optionId, result.Status, result.Records.Count);
        WorkflowTelemetry.Executions.Add(1, new KeyValuePair<string, object?>("outcome", result.Status == ExecutionStatus.Succeeded ? "succeeded" : "failed"));
        return new ExecutionOutcome(result.Status == ExecutionStatus.Succeeded, [.. result.Records.Select(x => x.Id)], result.Error);
    }

    public async Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct) =>
        Done(await ChangeAsync(input, r =>
        {
            // The executor undid what it could when the plan failed; the request records that outcome once.
            if (r.History.Any(h => h.Event == "compensated"))
            {
                return r;
            }
            var undone = r.Executions.Count(e => e.Status == ExecutionStatus.Compensated);
            return r.Record("compensated", System, clock.GetUtcNow(), $"{undone} action(s) compensated after: {input.Reason}");
        }, ct));

    /// <summary>Tells the resident the work is done and asks them to confirm or reopen (once per round).</summary>
    public async Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct)
    {
        var read = await LoadAsync(input.RequestId, ct);
        var request = read.Value;
        if (request.Status is not (RequestStatus.Executing or RequestStatus.AwaitingConfirmation))
        {
            return new StepDone(request.Status, "nothing to notify");
        }
        var option = request.Options.FirstOrDefault(o => o.Id == input.OptionId);
        var channel = request.Channel == Channel.Sms ? "sms" : "email";
        var window = lifecycleOptions.Value.ConfirmationWindowHours;
        var step = input.Round == 0 ? "notify:completed" : $"notify:completed:r{input.Round}";
        // A ledger review tells what it found (never the office's internal note).
        var done = request.Finding is { } finding && request.CurrentWork?.Round == input.Round
            ? finding.ChargeWrong
                ? request.IsFindingCreditRejected
                    ? string.Create(CultureInfo.InvariantCulture, $"Our ledger review found the charge wrong by {finding.Amount:0.00}, but a manager did not approve the credit, so none was posted.")
                    : string.Create(CultureInfo.InvariantCulture, $"Our ledger review found the charge wrong: we credited {finding.Amount:0.00} to your account.")
                : "Our ledger review found the charge correct, so no credit is due."
            : option is null ? "We carried out the resolution of your request." : $"Done: {option.Title}. {option.Description}";
        var record = await executor.ExecuteAsync(request.Id, new SendNotification(step,
            new NotificationCommand(request.Id, request.ResidentId, channel, "Your request has been handled — is it fixed?",
                done + $" Please confirm it is fixed, or tell us it is not, within {window:0.#} hours.")), ct);
        return Done((await ChangeVersionedAsync(input, read, r => r.Executions.Any(e => e.Id == record.Id) ? r : r.WithExecution(record, clock.GetUtcNow()), ct)).Value);
    }

    /// <summary>What the option left open: a work order or office task puts the request in progress; otherwise it waits for confirmation.</summary>
    public async Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct)
    {
        var policy = decisionOptions.Value;
        var saved = await ChangeAsync(input, r =>
        {
            if (r.Status != RequestStatus.Executing || r.Classification is not { } c)
            {
                return r; // done already (a redelivered step), or closed
            }
            var now = clock.GetUtcNow();
            var plan = ExecutionPlanner.ForOption(r, input.OptionId!, policy, input.Round);
            if (plan.Actions.OfType<CreateWorkOrder>().FirstOrDefault() is not { } order)
            {
                return r.AwaitConfirmation(now);
            }
            var urgency = ExecutionPlanner.UrgencyFor(c.Urgency, input.Round);
            var sla = policy.Sla.For(urgency);
            var start = ExecutionPlanner.RoundStart(r, input.Round);
            var office = order.Command.Assignee == "office";
            var reference = r.Executions.LastOrDefault(e => e.IdempotencyKey == References.IdempotencyKey(r.Id, order.Step))?.ExternalReference;
            var work = new WorkProgress(
                office ? "office_task" : "work_order",
                reference,
                WorkState.Scheduled,
                OnSiteDueAt: !office && urgency == Urgency.Emergency ? start.AddHours(sla.OnSiteHours) : null,
                DueAt: start.AddHours(sla.ResolutionHours),
                input.Round,
                [new WorkUpdate(WorkState.Scheduled, now, System, Note: order.Command.Assignee)]);
            return r.StartWork(work, now);
        }, ct);
        var current = saved.CurrentWork;
        return saved.Status == RequestStatus.InProgress && current is { Round: var round } && round == input.Round
            ? new WorkOutcome(true, current.OnSiteDueAt, current.DueAt, saved.Status)
            : new WorkOutcome(false, null, null, saved.Status);
    }

    /// <summary>
    /// After the work of a round is reported complete: when it was the ledger review and it found the charge wrong, the
    /// credit of the amount found wrong is re-checked against the policy (the finding verifies it; the auto-approval
    /// limit, the goodwill cap and the hard constraints still apply) and posted once — its idempotency key is the credit
    /// option's ledger step of the round. A credit the policy holds for a manager is not posted: the request waits for a
    /// manager's approval with the reason (<see cref="FindingOutcome.NeedsApproval"/>). Called again with
    /// <see cref="StepInput.ChosenBy"/> = manager once the manager answered: an approval posts exactly that credit
    /// (re-checked with the approval; the hard constraints still apply), a rejection posts nothing; either way the request
    /// goes on to wait for the resident's confirmation.
    /// </summary>
    public async Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct)
    {
        var request = (await LoadAsync(input.RequestId, ct)).Value;
        if (request.CurrentWork is not { Finding: { ChargeWrong: true } finding } work || work.Round != input.Round)
        {
            return new FindingOutcome(false, null, null, request.Status); // no finding, or the charge was right: nothing to post
        }
        var found = $"the ledger review found the charge wrong by {finding.Amount.ToString("0.00", CultureInfo.InvariantCulture)}";
        if (request.Options.FirstOrDefault(o => o.Kind == OptionKinds.BillingCredit) is not { } credit)
        {
            return new FindingOutcome(false, finding.Amount, found + ", but the request has no credit option: a manager posts the credit", request.Status);
        }
        var byManager = input.ChosenBy == OptionChooser.Manager;
        if (byManager && request.HeldFindingCredit is not null && LastAnswer(request) == ResidentRequest.ManagerRejectedEvent)
        {
            var released = await ChangeAsync(input, r => r.HeldFindingCredit is null ? r
                : r.ReleaseFindingCredit(input.Reason ?? "rejected by a manager", clock.GetUtcNow()), ct);
            LogFindingRejected(input.RequestId, finding.Amount);
            return new FindingOutcome(false, finding.Amount, null, released.Status);
        }
        var ledger = ExecutionPlanner.ForOption(request, credit.Id, decisionOptions.Value, input.Round).Actions.OfType<PostLedgerEntry>().Single();
        var key = References.IdempotencyKey(request.Id, ledger.Step);
        if (!request.Executions.Any(e => e.IdempotencyKey == key && e.Status == ExecutionStatus.Succeeded))
        {
            // The executed-option re-check, with the finding among the facts: verified, but not beyond the policy's limits.
            var approved = byManager && request.IsApprovedByManager(credit.Id);
            var verdict = await gate.CheckAsync(request, credit.Id, approved ? OptionChooser.Manager : OptionChooser.System, approved, ct);
            if (verdict.Kind != OptionVerdictKind.Allowed)
            {
                var reason = $"{found}; the credit of {finding.Amount.ToString("0.00", CultureInfo.InvariantCulture)} needs a manager: {verdict.Reason}";
                if (byManager || verdict.Kind == OptionVerdictKind.Forbidden)
                {
                    // Approved, yet still refused (a hard constraint), or not postable at all: a person takes it over.
                    return new FindingOutcome(false, finding.Amount, reason, request.Status);
                }
                var held = await ChangeAsync(input, r => r.Status == RequestStatus.AwaitingConfirmation && r.HeldFindingCredit is null
                    ? r.HoldFindingCredit(reason, clock.GetUtcNow()) : r, ct);
                return new FindingOutcome(false, finding.Amount, null, held.Status, NeedsApproval: reason,
                    ApprovalSla: TimeSpan.FromHours(decisionOptions.Value.ManagerApprovalSlaHours));
            }
        }
        var result = await executor.ExecuteAsync(new ExecutionPlan(request.Id, [ledger]), ct);
        var saved = await ChangeAsync(input, r =>
        {
            var recorded = result.Records.Aggregate(r, (acc, record) => acc.Executions.Contains(record) ? acc : acc.WithExecution(record, clock.GetUtcNow()));
            return result.Status == ExecutionStatus.Succeeded && recorded.HeldFindingCredit is not null
                ? recorded.ReleaseFindingCredit(null, clock.GetUtcNow())
                : recorded;
        }, ct);
        LogFindingSettled(input.RequestId, finding.Amount, result.Status);
        return result.Status == ExecutionStatus.Succeeded
            ? new FindingOutcome(true, finding.Amount, null, saved.Status)
            : new FindingOutcome(false, finding.Amount, $"{found}, but posting the credit failed: {result.Error ?? "unknown error"}", saved.Status);
    }

    /// <summary>The manager's latest answer to what awaits approval: approved, rejected, or null.</summary>
    private static string? LastAnswer(ResidentRequest request) =>
        request.History.LastOrDefault(h => h.Event is ResidentRequest.ManagerApprovedEvent or ResidentRequest.ManagerRejectedEvent)?.Event;

    /// <summary>The history event of a verified credit the policy holds for a manager.</summary>
    public const string FindingCreditHeldEvent = ResidentRequest.FindingCreditHeldEvent;

    /// <summary>Pages the on-call manager (a notification), once per round.</summary>
    public async Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct)
    {
        var request = (await LoadAsync(input.RequestId, ct)).Value;
        var step = input.Round == 0 ? "page:on_call" : $"page:on_call:r{input.Round}";
        var record = await executor.ExecuteAsync(request.Id, new SendNotification(step,
            new NotificationCommand(request.Id, lifecycleOptions.Value.OnCallManager, "sms", "Emergency: no one on site",
                $"Request {request.Id} at {request.Building} {request.Unit}: {input.Reason ?? "on-site SLA missed"}.")), ct);
        return Done(await ChangeAsync(input, r => r.Executions.Any(e => e.Id == record.Id) ? r
            : r.WithExecution(record, clock.GetUtcNow()).Record("on_call_paged", System, clock.GetUtcNow(), input.Reason), ct));
    }

    /// <summary>The confirmation window; the request waits for the resident's confirmation.</summary>
    public async Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct)
    {
        var saved = await ChangeAsync(input, r => r.Status is RequestStatus.Executing or RequestStatus.InProgress
            ? (r.Status == RequestStatus.Executing ? r.AwaitConfirmation(clock.GetUtcNow())
                : r.TransitionTo(RequestStatus.AwaitingConfirmation, System, clock.GetUtcNow(), "the work is reported complete"))
            : r, ct);
        return new ConfirmationOutcome(TimeSpan.FromHours(lifecycleOptions.Value.ConfirmationWindowHours), saved.Status);
    }

    /// <summary>After the resident reopened it: the next round, or escalation after the last allowed reopening.</summary>
    public async Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct)
    {
        var request = (await LoadAsync(input.RequestId, ct)).Value;
        var reopens = request.ReopenCount;
        return new ReopenOutcome(reopens, reopens >= lifecycleOptions.Value.EscalateAfterReopens, request.Status);
    }

    /// <summary>The confirmation window passed without an answer: resolved, marked unconfirmed.</summary>
    public Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct) =>
        AdvanceAsync(input, RequestStatus.AwaitingConfirmation, r => Task.FromResult(
            r.ResolveUnconfirmed(TimeSpan.FromHours(lifecycleOptions.Value.ConfirmationWindowHours), clock.GetUtcNow())), ct);

    public async Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct)
    {
        var saved = await ChangeAsync(input, r => RequestStateMachine.CanTransition(r.Status, RequestStatus.Escalated)
            ? r.TransitionTo(RequestStatus.Escalated, System, clock.GetUtcNow(), input.Reason)
            : r, ct);
        LogEscalated(input.RequestId, input.Reason);
        return Done(saved) with { Detail = input.Reason };
    }

    /// <summary>Runs <paramref name="change"/> only while the request is in <paramref name="expected"/>; otherwise the step was done already (or the request was closed).</summary>
    /// <remarks>
    /// The work the change costs (LLM tokens, model-server time, simulation CPU) is added to the request's usage in the
    /// same write as the step's result, so a redelivered step that finds the work done adds nothing.
    /// </remarks>
    private async Task<StepDone> AdvanceAsync(StepInput input, RequestStatus expected, Func<ResidentRequest, Task<ResidentRequest>> change, CancellationToken ct) =>
        (await AdvanceToAsync(input, expected, change, ct)).Done;

    /// <summary><see cref="AdvanceAsync"/>, with the request as it was saved (or found, when the step was done already).</summary>
    private async Task<(StepDone Done, ResidentRequest Request)> AdvanceToAsync(StepInput input, RequestStatus expected, Func<ResidentRequest, Task<ResidentRequest>> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await LoadAsync(input.RequestId, ct);
            if (current.Value.Status != expected)
            {
                return (new StepDone(current.Value.Status, AlreadyDone), current.Value);
            }
            ResidentRequest changed;
            using (var usage = UsageRecorder.Begin(current.Value.Id, current.Value.ResidentId))
            {
                changed = await change(current.Value);
                var spent = usage.Recorder.Snapshot();
                if (!spent.IsEmpty)
                {
                    changed = changed with { Usage = (changed.Usage ?? RequestUsage.Empty).Plus(spent) };
                }
            }
            try
            {
                var saved = await store.ReplaceAsync(changed, current.ETag, ct);
                return (new StepDone(saved.Value.Status), saved.Value);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Someone (a resident, a manager) changed it meanwhile: look again.
            }
        }
    }

    private async Task<ResidentRequest> ChangeAsync(StepInput input, Func<ResidentRequest, ResidentRequest> change, CancellationToken ct) =>
        (await ChangeVersionedAsync(input, null, change, ct)).Value;

    /// <summary>
    /// Applies <paramref name="change"/> to the stored request and saves it (optimistic concurrency: on a conflict it
    /// reads the request again and re-applies the change). <paramref name="known"/>, a version this step read or saved
    /// itself, is the first try instead of a fresh read; a stale one only costs the conflict and the read again.
    /// </summary>
    private async Task<Versioned<ResidentRequest>> ChangeVersionedAsync(StepInput input, Versioned<ResidentRequest>? known, Func<ResidentRequest, ResidentRequest> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 && known is not null ? known : await LoadAsync(input.RequestId, ct);
            var changed = change(current.Value);
            if (ReferenceEquals(changed, current.Value))
            {
                return current;
            }
            try
            {
                return await store.ReplaceAsync(changed, current.ETag, ct);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
            }
        }
    }

    private static StepDone Done(ResidentRequest request) => new(request.Status);

    private async Task<Versioned<ResidentRequest>> LoadAsync(string id, CancellationToken ct) =>
        await store.GetAsync(id, cancellationToken: ct) ?? throw new InvalidOperationException($"Request {id} does not exist.");

    /// <summary>
    /// The risk model's probability with the learned log-odds shifts (the building's escalation history) applied; the
    /// shift is shown as a factor and the parameter set's version is added to the model version.
    /// </summary>
    internal static RiskAssessment Recalibrated(RiskAssessment assessed, string building, ApartmentManager.Decisions.Calibration.SimulationCalibration learned)
    {
        var shift = learned.RiskShiftFor(building);
        if (shift == 0)
        {
            return assessed;
        }
        var p = learned.AdjustRisk(assessed.Probability, building);
        return assessed with
        {
            Probability = p,
            Level = RiskLevels.Of(p),
            Factors = [.. assessed.Factors, new RiskFactor("learned_escalation_history", Math.Round(shift, 4), learned.Version)],
            ModelVersion = $"{assessed.ModelVersion}+learned:{learned.Version}",
        };
    }

    /// <summary>What the store knows of the unit: incidents in 90 days and repeats of the same category in 30 (counts, not documents).</summary>
    private async Task<RiskHistory> HistoryOfAsync(ResidentRequest r, CancellationToken ct)
    {
        var now = r.CreatedAt;
        // Both counts include this (stored, classified) request itself; it is neither a past incident nor a repeat.
        var incidents = await store.CountForUnitAsync(UnitAddress.NormalizeBuilding(r.Building), UnitAddress.NormalizeUnit(r.Unit), now.AddDays(-90), cancellationToken: ct) - 1;
        var repeats = r.Classification is { } c ? await store.CountForUnitAsync(UnitAddress.NormalizeBuilding(r.Building), UnitAddress.NormalizeUnit(r.Unit), now.AddDays(-30), c.Category, ct) - 1 : 0;
        return new RiskHistory(IncidentsLast90Days: Math.Max(0, incidents), RepeatComplaints: Math.Max(0, repeats));
    }

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: executed {OptionId} → {Status} ({Actions} actions)")]
    private partial void LogExecuted(string requestId, string optionId, ExecutionStatus status, int actions);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: the ledger review's verified credit of {Amount} → {Status}")]
    private partial void LogFindingSettled(string requestId, decimal amount, ExecutionStatus status);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: a manager rejected the verified credit of {Amount}; nothing posted")]
    private partial void LogFindingRejected(string requestId, decimal amount);

    [LoggerMessage(LogLevel.Warning, "Request {RequestId} escalated: {Reason}")]
    private partial void LogEscalated(string requestId, string? reason);
}
