using System.Collections.Concurrent;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow.Tests;

/// <summary>Pipeline steps that record every call and answer from a script (the steps themselves are tested elsewhere).</summary>
internal sealed class ScriptedSteps : IPipelineSteps
{
    public ConcurrentQueue<string> Calls { get; } = new();
    public DecisionOutcome Decision { get; set; } = new(NextStep.Proceed, "opt-1", TimeSpan.FromHours(48), TimeSpan.FromHours(4), true, RequestStatus.Decided);
    public bool ExecutionSucceeds { get; set; } = true;
    public int ClassifyFailuresBeforeSuccess { get; set; }
    public StepInput? LastExecuteInput { get; private set; }
    public List<StepInput> ExecuteInputs { get; } = [];
    /// <summary>The re-check's answer per option when not chosen by a manager: "approval" or "forbidden"; absent = allowed.</summary>
    public Dictionary<string, string> Verdicts { get; } = [];
    public StepInput? LastEscalateInput { get; private set; }

    public int Count(string step) => Calls.Count(c => c == step);

    private Task<StepDone> Done(string step, RequestStatus status)
    {
        Calls.Enqueue(step);
        return Task.FromResult(new StepDone(status));
    }

    public Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct)
    {
        if (ClassifyFailuresBeforeSuccess-- > 0)
        {
            Calls.Enqueue("Classify!");
            throw new InvalidOperationException("model not loaded");
        }
        return Done(WorkflowSteps.Classify.Name, RequestStatus.Classified);
    }

    public Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.PredictRisk.Name, RequestStatus.RiskAssessed);
    public Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Simulate.Name, RequestStatus.OptionsSimulated);

    public Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.Decide.Name);
        return Task.FromResult(Decision);
    }

    public Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.AwaitResident.Name, RequestStatus.AwaitingResidentChoice);
    public Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.AwaitManager.Name, RequestStatus.AwaitingManagerApproval);
    public Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.SelectOption.Name, RequestStatus.AwaitingResidentChoice);

    public Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.Execute.Name);
        LastExecuteInput = input;
        ExecuteInputs.Add(input);
        var verdict = Verdicts.GetValueOrDefault(input.OptionId!);
        if (verdict == "forbidden")
        {
            return Task.FromResult(new ExecutionOutcome(false, [], "breaks a hard constraint [chargeback_without_evidence]", Refused: true));
        }
        if (verdict == "approval" && input.ChosenBy != ApartmentManager.Application.Ports.OptionChooser.Manager)
        {
            return Task.FromResult(new ExecutionOutcome(false, [], NeedsApproval: "needs a manager [chargeback]"));
        }
        return Task.FromResult(ExecutionSucceeds ? new ExecutionOutcome(true, ["exe-1"]) : new ExecutionOutcome(false, ["exe-1"], "vendor API down"));
    }

    public Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Compensate.Name, RequestStatus.Executing);
    public Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Notify.Name, RequestStatus.Executing);
    public Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Resolve.Name, RequestStatus.Resolved);

    /// <summary>Questions to ask, one per AskQuestion call (none left: nothing to ask).</summary>
    public Queue<string> QuestionsToAsk { get; } = new();
    /// <summary>What TrackWork reports; by default nothing is left open.</summary>
    public WorkOutcome Work { get; set; } = new(false, null, null, RequestStatus.AwaitingConfirmation);
    /// <summary>The confirmation window; zero by default, so an unanswered wait ends at once (resolved unconfirmed).</summary>
    public TimeSpan ConfirmationWindow { get; set; } = TimeSpan.Zero;
    public int EscalateAfterReopens { get; set; } = 2;
    private int _reopens;

    public Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.AskQuestion.Name);
        return Task.FromResult(QuestionsToAsk.TryDequeue(out var question)
            ? new QuestionOutcome(true, TimeSpan.FromHours(24), RequestStatus.AwaitingResidentInfo, question)
            : new QuestionOutcome(false, TimeSpan.FromHours(24), RequestStatus.Classified));
    }

    public Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.TrackWork.Name);
        return Task.FromResult(Work);
    }

    public Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.PageOnCall.Name, RequestStatus.InProgress);

    /// <summary>What SettleFinding reports; by default nothing (no finding, or the charge was right).</summary>
    public FindingOutcome Finding { get; set; } = new(false, null, null, RequestStatus.AwaitingConfirmation);

    /// <summary>What SettleFinding reports once a manager answered a held credit (called with the manager as chooser).</summary>
    public FindingOutcome? FindingAfterManager { get; set; }

    /// <summary>The inputs SettleFinding was called with, in order.</summary>
    public ConcurrentQueue<StepInput> SettleFindingInputs { get; } = new();

    public Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.SettleFinding.Name);
        SettleFindingInputs.Enqueue(input);
        return Task.FromResult(input.ChosenBy == ApartmentManager.Application.Ports.OptionChooser.Manager && FindingAfterManager is { } answered
            ? answered : Finding);
    }

    public Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.AwaitConfirmation.Name);
        return Task.FromResult(new ConfirmationOutcome(ConfirmationWindow, RequestStatus.AwaitingConfirmation));
    }

    public Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct)
    {
        Calls.Enqueue(WorkflowSteps.Reopen.Name);
        var reopens = ++_reopens;
        return Task.FromResult(new ReopenOutcome(reopens, reopens >= EscalateAfterReopens, RequestStatus.Executing));
    }

    public Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct)
    {
        LastEscalateInput = input;
        return Done(WorkflowSteps.Escalate.Name, RequestStatus.Escalated);
    }
}

/// <summary>
/// An in-memory <see cref="IWorkflowContext"/>: runs steps directly and answers waits from a script, so each branch
/// of the workflow can be driven without an engine.
/// </summary>
internal sealed class ScriptedContext(ScriptedSteps steps) : IWorkflowContext
{
    public string InstanceId => "req_test";
    public DateTimeOffset CurrentUtcDateTime { get; } = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    public Queue<WorkflowSignal?> Signals { get; } = new();
    public List<(IReadOnlyList<string> Names, TimeSpan Timeout)> Waits { get; } = [];
    public List<WorkflowProgress> Progress { get; } = [];
    public List<(string Step, StepRetryPolicy Retry)> Retries { get; } = [];

    public async Task<TResult> CallStepAsync<TResult>(WorkflowStep<TResult> step, StepInput input)
    {
        Retries.Add((step.Name, step.Retry));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Through JSON, as both engines do: what a step returns must survive its checkpoint.
                return step.Deserialize(await step.RunAsync(steps, input, CancellationToken.None));
            }
            catch (InvalidOperationException) when (attempt < step.Retry.MaxAttempts)
            {
            }
        }
    }

    public Task<WorkflowSignal?> WaitForSignalAsync(IReadOnlyList<string> eventNames, TimeSpan timeout)
    {
        Waits.Add((eventNames, timeout));
        // Nothing scripted: the wait times out (as a zero confirmation window does).
        return Task.FromResult(Signals.TryDequeue(out var signal) ? signal : null);
    }

    public void SetProgress(WorkflowProgress progress) => Progress.Add(progress);
}
