using ApartmentManager.Domain;
using ApartmentManager.Execution;
using ApartmentManager.Execution.Gateways;
using ApartmentManager.Workflow;
using Microsoft.Extensions.Options;

namespace ApartmentManager.DurableWorker;

/// <summary>
/// Pipeline steps for the crash test: the analysis steps take a configurable time (the worker is killed while they
/// run), the decision is "proceed", and the side effects are real: the execute step carries out a work order and a
/// ledger credit, the notify step a resident notification, each through the app's <see cref="IActionExecutor"/> (its
/// execution log in SQLite under <c>Storage:DataDirectory</c>, kept across restarts) and its webhook gateways, which
/// send signed webhooks with the action's idempotency key to the receiver the test runs.
/// </summary>
public sealed class ExecutingSteps(IActionExecutor executor, IOptions<DurableWorkerOptions> options) : IPipelineSteps
{
    public const string WorkOrderStep = "opt-1:work_order";
    public const string CreditStep = "opt-1:credit";
    public const string NotifyStep = "notify:completed";

    /// <summary>The idempotency keys of every action one request carries out.</summary>
    public static IReadOnlyList<string> ActionKeys(string requestId) =>
        [References.IdempotencyKey(requestId, WorkOrderStep), References.IdempotencyKey(requestId, CreditStep), References.IdempotencyKey(requestId, NotifyStep)];

    private async Task<StepDone> WorkAsync(RequestStatus status, CancellationToken ct)
    {
        await Task.Delay(options.Value.StepMilliseconds, ct);
        return new StepDone(status);
    }

    public Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct) => WorkAsync(RequestStatus.Classified, ct);
    public Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct) => WorkAsync(RequestStatus.RiskAssessed, ct);
    public Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct) => WorkAsync(RequestStatus.OptionsSimulated, ct);

    public async Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct)
    {
        await WorkAsync(RequestStatus.Decided, ct);
        return new DecisionOutcome(NextStep.Proceed, "opt-1", TimeSpan.FromHours(48), TimeSpan.FromHours(4), AutoSelectOnTimeout: false, RequestStatus.Decided);
    }

    public async Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct)
    {
        var id = input.RequestId;
        var result = await executor.ExecuteAsync(new ExecutionPlan(id,
        [
            new CreateWorkOrder(WorkOrderStep, new WorkOrderCommand(id, "bldg-1", "4B", "plumbing", "normal", "in_house", "Leaking tap in the kitchen")),
            new PostLedgerEntry(CreditStep, new LedgerEntryCommand(id, "res-1", "credit", 25m, "USD", "Goodwill credit for the leak")),
        ]), ct);
        return new ExecutionOutcome(result.Status == ExecutionStatus.Succeeded, [.. result.Records.Select(r => r.Id)], result.Error);
    }

    public async Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct)
    {
        await executor.ExecuteAsync(input.RequestId, new SendNotification(NotifyStep,
            new NotificationCommand(input.RequestId, "res-1", "email", "Your request has been handled", "The plumber fixed the tap. Please confirm.")), ct);
        return new StepDone(RequestStatus.AwaitingConfirmation);
    }

    public Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct) =>
        Task.FromResult(new QuestionOutcome(false, TimeSpan.FromHours(24), RequestStatus.Classified));
    public Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct) =>
        Task.FromResult(new WorkOutcome(false, null, null, RequestStatus.AwaitingConfirmation));
    // A zero confirmation window: an unanswered confirmation resolves at once.
    public Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct) =>
        Task.FromResult(new ConfirmationOutcome(TimeSpan.Zero, RequestStatus.AwaitingConfirmation));
    public Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.Resolved));

    // Branches this run never takes ("proceed" every time, every action succeeds).
    public Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.AwaitingResidentChoice));
    public Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.AwaitingManagerApproval));
    public Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.Decided));
    public Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.Executing));
    public Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.Escalated));
    public Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct) => Task.FromResult(new StepDone(RequestStatus.Executing));
    public Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct) => Task.FromResult(new ReopenOutcome(1, false, RequestStatus.Executing));
    public Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct) => Task.FromResult(new FindingOutcome(false, null, null, RequestStatus.AwaitingConfirmation));
}
