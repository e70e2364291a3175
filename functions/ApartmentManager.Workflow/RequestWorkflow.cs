using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Workflow;

/// <summary>How a workflow instance ended.</summary>
public sealed record WorkflowResult(RequestStatus Status, string Detail);

/// <summary>
/// The request pipeline: classify → predict → simulate → decide → (proceed | wait for the resident's choice | wait for
/// a manager's approval) → execute → notify → resolved. Deterministic: everything it learns comes through
/// <see cref="IWorkflowContext"/>, so Durable Functions and the embedded runner can both replay it.
/// </summary>
public static class RequestWorkflow
{
    public const string Name = "RequestWorkflow";

    /// <summary>Analysis steps are pure computation over local models: a few quick retries cover transient faults.</summary>
    public static readonly StepRetryPolicy AnalysisRetry = new(3, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));

    /// <summary>Execution talks to outside systems: more patience, and the gateways have their own retries too.</summary>
    public static readonly StepRetryPolicy ExecutionRetry = new(4, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(1));

    /// <summary>Bookkeeping steps (status changes, notifications).</summary>
    public static readonly StepRetryPolicy BookkeepingRetry = new(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30));

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

        context.SetProgress(new WorkflowProgress(Steps.Classify));
        await context.CallStepAsync<StepDone>(Steps.Classify, input, AnalysisRetry);
        context.SetProgress(new WorkflowProgress(Steps.PredictRisk));
        await context.CallStepAsync<StepDone>(Steps.PredictRisk, input, AnalysisRetry);
        context.SetProgress(new WorkflowProgress(Steps.Simulate));
        await context.CallStepAsync<StepDone>(Steps.Simulate, input, AnalysisRetry);
        context.SetProgress(new WorkflowProgress(Steps.Decide));
        var decision = await context.CallStepAsync<DecisionOutcome>(Steps.Decide, input, AnalysisRetry);

        string optionId;
        switch (decision.NextStep)
        {
            case NextStep.Proceed:
                optionId = decision.RecommendedOptionId;
                break;

            case NextStep.ResidentChooses:
            {
                await context.CallStepAsync<StepDone>(Steps.AwaitResident, input, BookkeepingRetry);
                var due = context.CurrentUtcDateTime + decision.ResidentChoiceSla;
                context.SetProgress(new WorkflowProgress(Steps.AwaitResident, WorkflowEvents.OptionSelected, due));
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
                    await context.CallStepAsync<StepDone>(Steps.SelectOption,
                        input with { OptionId = optionId, Reason = "resident did not choose in time; policy takes the recommendation" }, BookkeepingRetry);
                }
                else
                {
                    optionId = signal.Payload ?? decision.RecommendedOptionId;
                }
                break;
            }

            case NextStep.ManagerApproves:
            {
                await context.CallStepAsync<StepDone>(Steps.AwaitManager, input, BookkeepingRetry);
                var due = context.CurrentUtcDateTime + decision.ManagerApprovalSla;
                context.SetProgress(new WorkflowProgress(Steps.AwaitManager, WorkflowEvents.ManagerApproved, due));
                var signal = await context.WaitForSignalAsync(
                    [WorkflowEvents.ManagerApproved, WorkflowEvents.ManagerRejected, WorkflowEvents.Escalated], decision.ManagerApprovalSla);
                switch (signal?.Name)
                {
                    case null:
                        return await EscalateAsync(context, $"no manager approved within {Hours(decision.ManagerApprovalSla)}");
                    case WorkflowEvents.ManagerRejected:
                        return await EscalateAsync(context, "rejected by a manager: " + (signal.Payload ?? "no reason given"));
                    case WorkflowEvents.Escalated:
                        return Stopped(context, RequestStatus.Escalated, "escalated by a manager while awaiting approval");
                }
                optionId = string.IsNullOrEmpty(signal!.Payload) ? decision.RecommendedOptionId : signal.Payload;
                break;
            }

            default:
                return await EscalateAsync(context, $"unknown next step '{decision.NextStep}'");
        }

        context.SetProgress(new WorkflowProgress(Steps.Execute, Detail: optionId));
        var execution = await context.CallStepAsync<ExecutionOutcome>(Steps.Execute, input with { OptionId = optionId }, ExecutionRetry);
        if (!execution.Succeeded)
        {
            context.SetProgress(new WorkflowProgress(Steps.Compensate, Detail: execution.Error));
            await context.CallStepAsync<StepDone>(Steps.Compensate, input with { OptionId = optionId, Reason = execution.Error }, BookkeepingRetry);
            return await EscalateAsync(context, "execution failed: " + (execution.Error ?? "unknown error"));
        }

        context.SetProgress(new WorkflowProgress(Steps.Notify));
        await context.CallStepAsync<StepDone>(Steps.Notify, input with { OptionId = optionId }, BookkeepingRetry);
        context.SetProgress(new WorkflowProgress(Steps.Resolve));
        await context.CallStepAsync<StepDone>(Steps.Resolve, input with { OptionId = optionId }, BookkeepingRetry);
        return Stopped(context, RequestStatus.Resolved, $"carried out {optionId}");
    }

    private static async Task<WorkflowResult> EscalateAsync(IWorkflowContext context, string reason)
    {
        context.SetProgress(new WorkflowProgress(Steps.Escalate, Detail: reason));
        await context.CallStepAsync<StepDone>(Steps.Escalate, new StepInput(context.InstanceId, Reason: reason), BookkeepingRetry);
        return Stopped(context, RequestStatus.Escalated, reason);
    }

    private static WorkflowResult Stopped(IWorkflowContext context, RequestStatus status, string detail)
    {
        context.SetProgress(new WorkflowProgress("Completed", Detail: $"{Names.Of(status)}: {detail}"));
        return new WorkflowResult(status, detail);
    }

    private static string Hours(TimeSpan span) => $"{span.TotalHours:0.#} h";
}
