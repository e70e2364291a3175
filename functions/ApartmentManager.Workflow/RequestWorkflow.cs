using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow;

/// <summary>How a workflow instance ended.</summary>
public sealed record WorkflowResult(RequestStatus Status, string Detail);

/// <summary>
/// The request pipeline: classify → predict → simulate → decide → (proceed | wait for the resident's choice | wait for
/// a manager's approval) → re-check the chosen option (waiting for a manager if it needs approval) → execute → notify → resolved. Deterministic: everything it learns comes through
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

        context.SetProgress(new WorkflowProgress(WorkflowSteps.Notify.Name));
        await context.CallStepAsync(WorkflowSteps.Notify, input with { OptionId = optionId });
        context.SetProgress(new WorkflowProgress(WorkflowSteps.Resolve.Name));
        await context.CallStepAsync(WorkflowSteps.Resolve, input with { OptionId = optionId });
        return Stopped(context, RequestStatus.Resolved, $"carried out {optionId}");
    }

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
