using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApartmentManager.Workflow;

/// <summary>Calls a step by name, for engines that dispatch by name (the embedded runner); results come back as JSON.</summary>
public static class StepDispatcher
{
    public static async Task<string> InvokeAsync(IPipelineSteps steps, string step, StepInput input, CancellationToken ct) => step switch
    {
        Steps.Classify => Json(await steps.ClassifyAsync(input, ct)),
        Steps.PredictRisk => Json(await steps.PredictRiskAsync(input, ct)),
        Steps.Simulate => Json(await steps.SimulateAsync(input, ct)),
        Steps.Decide => JsonSerializer.Serialize(await steps.DecideAsync(input, ct), WorkflowJsonContext.Default.DecisionOutcome),
        Steps.AwaitResident => Json(await steps.AwaitResidentAsync(input, ct)),
        Steps.AwaitManager => Json(await steps.AwaitManagerAsync(input, ct)),
        Steps.SelectOption => Json(await steps.SelectOptionAsync(input, ct)),
        Steps.Execute => JsonSerializer.Serialize(await steps.ExecuteAsync(input, ct), WorkflowJsonContext.Default.ExecutionOutcome),
        Steps.Compensate => Json(await steps.CompensateAsync(input, ct)),
        Steps.Notify => Json(await steps.NotifyAsync(input, ct)),
        Steps.Resolve => Json(await steps.ResolveAsync(input, ct)),
        Steps.Escalate => Json(await steps.EscalateAsync(input, ct)),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown workflow step."),
    };

    private static string Json(StepDone done) => JsonSerializer.Serialize(done, WorkflowJsonContext.Default.StepDone);
}

/// <summary>Checkpoint and message shapes of the workflow.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StepInput))]
[JsonSerializable(typeof(StepDone))]
[JsonSerializable(typeof(DecisionOutcome))]
[JsonSerializable(typeof(ExecutionOutcome))]
[JsonSerializable(typeof(WorkflowSignal))]
[JsonSerializable(typeof(WorkflowProgress))]
[JsonSerializable(typeof(WorkflowResult))]
public sealed partial class WorkflowJsonContext : JsonSerializerContext;
