using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow;

/// <summary>How a workflow instance ended.</summary>
public sealed record WorkflowResult(RequestStatus Status, string Detail);

/// <summary>
/// The request pipeline: classify → predict → simulate → decide → (proceed | wait for the resident's choice | wait for
/// a manager's approval) → re-check the chosen option (waiting for a manager if it needs approval) → execute → in progress
/// until the work is reported complete (a ledger review's finding "charge wrong" posts the verified credit, or waits for a
/// manager's approval when the policy holds it) → the resident confirms (resolved), reopens (carried out again) or does not answer
/// (resolved, unconfirmed). A clarifying question may come right after classification. Deterministic: everything it learns comes through
/// <see cref="IWorkflowContext"/>, so Durable Functions and the embedded runner can both replay it.
/// </summary>
public static class RequestWorkflow
{
    public const string Name = "RequestWorkflow";

    public static async Task<WorkflowResult> RunAsync(IWorkflowContext context)
    {
        try
        {
            return await RunStepsAsync(context);
        }
        catch (Exception e) when (e is not WorkflowInterruption and not OperationCanceledException)
        {
            // A step that kept failing after its retries hands the request to a person instead of leaving it stuck.
            return await EscalateAsync(context, "the pipeline could not continue: " + e.Message);
        }
    }

    private static async Task<WorkflowResult> RunStepsAsync(IWorkflowContext context)
    {
        var input = new StepInput(context.InstanceId);

        context.SetProgress(new WorkflowProgress(WorkflowSteps.Classify.Name));
        await context.CallStepAsync(WorkflowSteps.Classify, input);
        // When triage is unsure (and it is no emergency) the resident gets a targeted question; the reply is triaged
        // again with both texts. The step itself says no after the last allowed question.
        while (true)
        {
            var question = await context.CallStepAsync(WorkflowSteps.AskQuestion, input);
            if (!question.Asked)
            {
                break;
            }
            context.SetProgress(new WorkflowProgress(WorkflowSteps.AskQuestion.Name, WorkflowEvents.ResidentReplied,
                context.CurrentUtcDateTime + question.ReplySla, question.Question));
            var reply = await context.WaitForSignalAsync([WorkflowEvents.ResidentReplied, WorkflowEvents.Escalated], question.ReplySla);
            switch (reply?.Name)
            {
                case null:
                    return await EscalateAsync(context, $"the resident did not answer the question within {Hours(question.ReplySla)}; a manager triages it");
                case WorkflowEvents.Escalated:
                    return Stopped(context, RequestStatus.Escalated, "escalated by a manager while waiting for the resident's reply");
            }
            context.SetProgress(new WorkflowProgress(WorkflowSteps.Classify.Name, Detail: "re-triage with the resident's reply"));
            await context.CallStepAsync(WorkflowSteps.Classify, input);
        }
        context.SetProgress(new WorkflowProgress(WorkflowSteps.PredictRisk.Name));
        await context.CallStepAsync(WorkflowSteps.PredictRisk, input);
        context.SetProgress(new WorkflowProgress(WorkflowSteps.Simulate.Name));
        await context.CallStepAsync(WorkflowSteps.Simulate, input);
        context.SetProgress(new WorkflowProgress(WorkflowSteps.Decide.Name));
        var decision = await context.CallStepAsync(WorkflowSteps.Decide, input);

        string optionId;
        var chooser = OptionChooser.System;
        switch (decision.NextStep)
        {
            case NextStep.Proceed:
                optionId = decision.RecommendedOptionId;
                break;

            case NextStep.ResidentChooses:
            {
                await context.CallStepAsync(WorkflowSteps.AwaitResident, input);
                var due = context.CurrentUtcDateTime + decision.ResidentChoiceSla;
                context.SetProgress(new WorkflowProgress(WorkflowSteps.AwaitResident.Name, WorkflowEvents.OptionSelected, due));
                var signal = await context.WaitForSignalAsync([WorkflowEvents.OptionSelected, WorkflowEvents.Escalated], decision.ResidentChoiceSla);
                if (signal is { Name: WorkflowEvents.Escalated })
                {
                    return Stopped(context, RequestStatus.Escalated, "escalated by a manager while waiting for the resident");
                }
                if (signal is null)
                {
                    if (!decision.AutoSelectOnTimeout)
                    {
                        return await EscalateAsync(context, $"the resident did not choose within {Hours(decision.ResidentChoiceSla)}");
                    }
                    optionId = decision.RecommendedOptionId;
                    chooser = OptionChooser.Timeout;
                    await context.CallStepAsync(WorkflowSteps.SelectOption, input with { OptionId = optionId, Reason = "resident did not choose in time; policy takes the recommendation" });
                }
                else
                {
                    optionId = signal.Payload ?? decision.RecommendedOptionId;
                    chooser = OptionChooser.Resident;
                }
                break;
            }

            case NextStep.ManagerApproves:
            {
                var approval = await AwaitManagerAsync(context, input, decision);
                if (approval.Stop is not null)
                {
                    return approval.Stop;
                }
                optionId = approval.OptionId ?? decision.RecommendedOptionId;
                chooser = OptionChooser.Manager;
                break;
            }

            default:
                return await EscalateAsync(context, $"unknown next step '{decision.NextStep}'");
        }

        // The execute step re-checks the option against the hard constraints and approval rules, whoever chose it.
        context.SetProgress(new WorkflowProgress(WorkflowSteps.Execute.Name, Detail: optionId));
        var execution = await context.CallStepAsync(WorkflowSteps.Execute, input with { OptionId = optionId, ChosenBy = chooser });
        if (execution.NeedsApproval is not null && chooser != OptionChooser.Manager)
        {
            var approval = await AwaitManagerAsync(context, input, decision);
            if (approval.Stop is not null)
            {
                return approval.Stop;
            }
            optionId = approval.OptionId ?? optionId;
            context.SetProgress(new WorkflowProgress(WorkflowSteps.Execute.Name, Detail: optionId));
            execution = await context.CallStepAsync(WorkflowSteps.Execute, input with { OptionId = optionId, ChosenBy = OptionChooser.Manager });
        }
        if (execution.Refused || execution.NeedsApproval is not null)
        {
            return await EscalateAsync(context, $"{optionId} cannot be carried out: " + (execution.Error ?? execution.NeedsApproval ?? "refused by the policy"));
        }
        if (!execution.Succeeded)
        {
            context.SetProgress(new WorkflowProgress(WorkflowSteps.Compensate.Name, Detail: execution.Error));
            await context.CallStepAsync(WorkflowSteps.Compensate, input with { OptionId = optionId, Reason = execution.Error });
            return await EscalateAsync(context, "execution failed: " + (execution.Error ?? "unknown error"));
        }

        return await FollowThroughAsync(context, input with { OptionId = optionId, ChosenBy = chooser });
    }

    /// <summary>
    /// After the option is carried out: follow the open work to completion (SLA timers), ask the resident to confirm,
    /// and carry it out again with raised urgency when they reopen it (escalating after the last allowed reopening).
    /// </summary>
    private static async Task<WorkflowResult> FollowThroughAsync(IWorkflowContext context, StepInput executed)
    {
        var round = 0;
        while (true)
        {
            var work = await context.CallStepAsync(WorkflowSteps.TrackWork, executed with { Round = round });
            if (work.WorkRemains)
            {
                if (await AwaitWorkAsync(context, executed, work) is { } stopped)
                {
                    return stopped;
                }
                // A ledger review reported complete with the charge found wrong posts the verified credit (re-checked
                // against the policy first); one the policy will not let through without a manager waits for one.
                context.SetProgress(new WorkflowProgress(WorkflowSteps.SettleFinding.Name));
                // (The system settles it first, whoever chose the option; the manager's answer comes as its own call.)
                var settled = await context.CallStepAsync(WorkflowSteps.SettleFinding, executed with { Round = round, ChosenBy = OptionChooser.System });
                if (settled.NeedsApproval is { } held)
                {
                    var manager = await AwaitCreditApprovalAsync(context, executed with { Round = round }, held, settled.ApprovalSla);
                    if (manager.Stop is not null)
                    {
                        return manager.Stop;
                    }
                    settled = manager.Settled!;
                }
                if (settled.Escalate is { } why)
                {
                    return await EscalateAsync(context, why);
                }
            }

            context.SetProgress(new WorkflowProgress(WorkflowSteps.Notify.Name));
            await context.CallStepAsync(WorkflowSteps.Notify, executed with { Round = round });
            var confirmation = await context.CallStepAsync(WorkflowSteps.AwaitConfirmation, executed with { Round = round });
            context.SetProgress(new WorkflowProgress(WorkflowSteps.AwaitConfirmation.Name, WorkflowEvents.ResidentConfirmed,
                context.CurrentUtcDateTime + confirmation.Window));
            var answer = await context.WaitForSignalAsync(
                [WorkflowEvents.ResidentConfirmed, WorkflowEvents.ResidentReopened, WorkflowEvents.Escalated], confirmation.Window);
            switch (answer?.Name)
            {
                case null:
                    context.SetProgress(new WorkflowProgress(WorkflowSteps.Resolve.Name));
                    await context.CallStepAsync(WorkflowSteps.Resolve, executed with { Reason = $"no answer within {Hours(confirmation.Window)}" });
                    return Stopped(context, RequestStatus.Resolved, $"carried out {executed.OptionId}; resolved unconfirmed after {Hours(confirmation.Window)}");
                case WorkflowEvents.ResidentConfirmed:
                    return Stopped(context, RequestStatus.Resolved, $"carried out {executed.OptionId}; confirmed by the resident");
                case WorkflowEvents.Escalated:
                    return Stopped(context, RequestStatus.Escalated, "escalated by a manager while waiting for the resident's confirmation");
            }

            var reopened = await context.CallStepAsync(WorkflowSteps.Reopen, executed with { Reason = answer.Payload, Round = round });
            if (reopened.Escalate)
            {
                return await EscalateAsync(context, $"reopened {reopened.Round} times by the resident: " + (answer.Payload ?? "not fixed"));
            }
            round = reopened.Round;
            context.SetProgress(new WorkflowProgress(WorkflowSteps.Execute.Name, Detail: $"{executed.OptionId} again (reopened {round})"));
            var again = await context.CallStepAsync(WorkflowSteps.Execute, executed with { Round = round });
            if (!again.Succeeded)
            {
                await context.CallStepAsync(WorkflowSteps.Compensate, executed with { Reason = again.Error, Round = round });
                return await EscalateAsync(context, "execution after reopening failed: " + (again.Error ?? again.NeedsApproval ?? "unknown error"));
            }
        }
    }

    /// <summary>Waits until the work is reported complete; null then, or how the workflow stopped (an SLA passed, a manager stepped in).</summary>
    private static async Task<WorkflowResult?> AwaitWorkAsync(IWorkflowContext context, StepInput executed, WorkOutcome work)
    {
        var onSite = work.OnSiteDueAt is null;
        while (true)
        {
            var watchingOnSite = !onSite && (work.DueAt is null || work.OnSiteDueAt < work.DueAt);
            var deadline = watchingOnSite ? work.OnSiteDueAt : work.DueAt;
            var timeout = deadline is { } d ? Max(TimeSpan.Zero, d - context.CurrentUtcDateTime) : TimeSpan.FromDays(365);
            context.SetProgress(new WorkflowProgress(WorkflowSteps.TrackWork.Name, WorkflowEvents.WorkCompleted, deadline,
                watchingOnSite ? "waiting for the technician to be on site" : "waiting for the work to be completed"));
            var signal = await context.WaitForSignalAsync([WorkflowEvents.WorkUpdated, WorkflowEvents.WorkCompleted, WorkflowEvents.Escalated], timeout);
            switch (signal?.Name)
            {
                case null when watchingOnSite:
                    await context.CallStepAsync(WorkflowSteps.PageOnCall, executed with { Reason = "no one on site within the emergency on-site SLA" });
                    return await EscalateAsync(context, $"no one reported on site by {work.OnSiteDueAt:u} (emergency on-site SLA); the on-call manager was paged");
                case null:
                    return await EscalateAsync(context, $"the work was not completed by its due time {work.DueAt:u}");
                case WorkflowEvents.Escalated:
                    return Stopped(context, RequestStatus.Escalated, "escalated by a manager while the work was in progress");
                case WorkflowEvents.WorkCompleted:
                    return null;
                case WorkflowEvents.WorkUpdated when signal.Payload == "cannot_complete":
                    return await EscalateAsync(context, "the maintenance system reports the work cannot be completed");
                case WorkflowEvents.WorkUpdated when signal.Payload is "on_site" or "completed":
                    onSite = true;
                    break;
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Waits for a manager: the approved option (the recommendation unless the manager named another), or how the wait ended.</summary>
    private static async Task<(string? OptionId, WorkflowResult? Stop)> AwaitManagerAsync(IWorkflowContext context, StepInput input, DecisionOutcome decision)
    {
        await context.CallStepAsync(WorkflowSteps.AwaitManager, input);
        var due = context.CurrentUtcDateTime + decision.ManagerApprovalSla;
        context.SetProgress(new WorkflowProgress(WorkflowSteps.AwaitManager.Name, WorkflowEvents.ManagerApproved, due));
        var signal = await context.WaitForSignalAsync(
            [WorkflowEvents.ManagerApproved, WorkflowEvents.ManagerRejected, WorkflowEvents.Escalated], decision.ManagerApprovalSla);
        return signal?.Name switch
        {
            null => (null, await EscalateAsync(context, $"no manager approved within {Hours(decision.ManagerApprovalSla)}")),
            WorkflowEvents.ManagerRejected => (null, await EscalateAsync(context, "rejected by a manager: " + (signal.Payload ?? "no reason given"))),
            WorkflowEvents.Escalated => (null, Stopped(context, RequestStatus.Escalated, "escalated by a manager while awaiting approval")),
            _ => (string.IsNullOrEmpty(signal.Payload) ? null : signal.Payload, null),
        };
    }

    /// <summary>
    /// Waits for a manager's answer on a verified credit the policy held (the request awaits approval, the reason on
    /// it): approved, the credit is posted once; rejected, nothing is posted and the resident is told. Either way the
    /// settled finding, or how the wait ended.
    /// </summary>
    private static async Task<(FindingOutcome? Settled, WorkflowResult? Stop)> AwaitCreditApprovalAsync(
        IWorkflowContext context, StepInput executed, string held, TimeSpan sla)
    {
        context.SetProgress(new WorkflowProgress(WorkflowSteps.AwaitManager.Name, WorkflowEvents.ManagerApproved,
            context.CurrentUtcDateTime + sla, held));
        var signal = await context.WaitForSignalAsync(
            [WorkflowEvents.ManagerApproved, WorkflowEvents.ManagerRejected, WorkflowEvents.Escalated], sla);
        switch (signal?.Name)
        {
            case null:
                return (null, await EscalateAsync(context, $"no manager answered within {Hours(sla)}: {held}"));
            case WorkflowEvents.Escalated:
                return (null, Stopped(context, RequestStatus.Escalated, "escalated by a manager while the credit awaited approval"));
        }
        var rejected = signal.Name == WorkflowEvents.ManagerRejected;
        context.SetProgress(new WorkflowProgress(WorkflowSteps.SettleFinding.Name, Detail: rejected ? "rejected by a manager" : "approved by a manager"));
        var settled = await context.CallStepAsync(WorkflowSteps.SettleFinding,
            executed with { ChosenBy = OptionChooser.Manager, Reason = rejected ? signal.Payload ?? "no reason given" : null });
        return (settled, null);
    }

    private static async Task<WorkflowResult> EscalateAsync(IWorkflowContext context, string reason)
    {
        context.SetProgress(new WorkflowProgress(WorkflowSteps.Escalate.Name, Detail: reason));
        await context.CallStepAsync(WorkflowSteps.Escalate, new StepInput(context.InstanceId, Reason: reason));
        return Stopped(context, RequestStatus.Escalated, reason);
    }

    private static WorkflowResult Stopped(IWorkflowContext context, RequestStatus status, string detail)
    {
        context.SetProgress(new WorkflowProgress("Completed", Detail: $"{Names.Of(status)}: {detail}"));
        return new WorkflowResult(status, detail);
    }

    private static string Hours(TimeSpan span) => $"{span.TotalHours:0.#} h";
}
