using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ApartmentManager.Observability;

namespace ApartmentManager.Workflow;

/// <summary>
/// One workflow step: its name (the checkpoint key in the embedded runner, the <see cref="StepCall"/> name the Durable
/// activity dispatches on), how often it is retried, and how it runs. Declared once in <see cref="WorkflowSteps"/>;
/// both engines and the Durable activity follow the declaration. (Domain events are not the steps' business: they are
/// derived from the request's history, whoever changed it.)
/// </summary>
public abstract class WorkflowStep
{
    private protected WorkflowStep(string name, StepRetryPolicy retry)
    {
        Name = name;
        Retry = retry;
    }

    public string Name { get; }

    public StepRetryPolicy Retry { get; }

    /// <summary>Runs the step and returns its result as JSON (what engines record and ship between processes).</summary>
    public abstract Task<string> RunAsync(IPipelineSteps steps, StepInput input, CancellationToken ct);

    public override string ToString() => Name;
}

/// <summary>A step whose result is a <typeparamref name="TResult"/>.</summary>
public sealed class WorkflowStep<TResult> : WorkflowStep
{
    private readonly Func<IPipelineSteps, StepInput, CancellationToken, Task<TResult>> _run;
    private readonly JsonTypeInfo<TResult> _json;

    internal WorkflowStep(string name, StepRetryPolicy retry,
        Func<IPipelineSteps, StepInput, CancellationToken, Task<TResult>> run, JsonTypeInfo<TResult> json)
        : base(name, retry)
    {
        _run = run;
        _json = json;
    }

    /// <summary>Runs the step and returns its typed result (engines that call in process).</summary>
    public Task<TResult> InvokeAsync(IPipelineSteps steps, StepInput input, CancellationToken ct) => _run(steps, input, ct);

    /// <summary>Runs the step in its span (<c>step &lt;Name&gt;</c>) with its latency recorded: the same in both engines.</summary>
    public override async Task<string> RunAsync(IPipelineSteps steps, StepInput input, CancellationToken ct) =>
        Serialize(await WorkflowTelemetry.RunStepAsync(Name, input.RequestId, () => _run(steps, input, ct)));

    public string Serialize(TResult result) => JsonSerializer.Serialize(result, _json);

    public TResult Deserialize(string json) =>
        JsonSerializer.Deserialize(json, _json) ?? throw new JsonException($"Step '{Name}' recorded an empty result.");
}

/// <summary>
/// Every step of <see cref="RequestWorkflow"/>, declared once. Adding a step is one declaration here (plus its
/// implementation on <see cref="IPipelineSteps"/>): the embedded runner and the Durable activity dispatch by
/// <see cref="Find"/>.
/// </summary>
public static class WorkflowSteps
{
    /// <summary>Analysis steps are pure computation over local models: a few quick retries cover transient faults.</summary>
    public static readonly StepRetryPolicy AnalysisRetry = new(3, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));

    /// <summary>Execution talks to outside systems: more patience, and the gateways have their own retries too.</summary>
    public static readonly StepRetryPolicy ExecutionRetry = new(4, TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(1));

    /// <summary>Bookkeeping steps (status changes, notifications).</summary>
    public static readonly StepRetryPolicy BookkeepingRetry = new(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30));

    // Must stay first: the declarations below add themselves to it as the static fields initialise in order.
    private static readonly List<WorkflowStep> Declared = [];

    public static readonly WorkflowStep<StepDone> Classify =
        Declare("Classify", AnalysisRetry, (s, i, ct) => s.ClassifyAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> PredictRisk =
        Declare("PredictRisk", AnalysisRetry, (s, i, ct) => s.PredictRiskAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> Simulate =
        Declare("Simulate", AnalysisRetry, (s, i, ct) => s.SimulateAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<DecisionOutcome> Decide =
        Declare("Decide", AnalysisRetry, (s, i, ct) => s.DecideAsync(i, ct), Json.DecisionOutcome);
    public static readonly WorkflowStep<StepDone> AwaitResident =
        Declare("AwaitResident", BookkeepingRetry, (s, i, ct) => s.AwaitResidentAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> AwaitManager =
        Declare("AwaitManager", BookkeepingRetry, (s, i, ct) => s.AwaitManagerAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> SelectOption =
        Declare("SelectOption", BookkeepingRetry, (s, i, ct) => s.SelectOptionAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<ExecutionOutcome> Execute =
        Declare("Execute", ExecutionRetry, (s, i, ct) => s.ExecuteAsync(i, ct), Json.ExecutionOutcome);
    public static readonly WorkflowStep<StepDone> Compensate =
        Declare("Compensate", BookkeepingRetry, (s, i, ct) => s.CompensateAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> Notify =
        Declare("Notify", BookkeepingRetry, (s, i, ct) => s.NotifyAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> Resolve =
        Declare("Resolve", BookkeepingRetry, (s, i, ct) => s.ResolveAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<StepDone> Escalate =
        Declare("Escalate", BookkeepingRetry, (s, i, ct) => s.EscalateAsync(i, ct), Json.StepDone);

    public static readonly WorkflowStep<QuestionOutcome> AskQuestion =
        Declare("AskQuestion", BookkeepingRetry, (s, i, ct) => s.AskQuestionAsync(i, ct), Json.QuestionOutcome);
    public static readonly WorkflowStep<WorkOutcome> TrackWork =
        Declare("TrackWork", BookkeepingRetry, (s, i, ct) => s.TrackWorkAsync(i, ct), Json.WorkOutcome);
    public static readonly WorkflowStep<StepDone> PageOnCall =
        Declare("PageOnCall", BookkeepingRetry, (s, i, ct) => s.PageOnCallAsync(i, ct), Json.StepDone);
    public static readonly WorkflowStep<FindingOutcome> SettleFinding =
        Declare("SettleFinding", ExecutionRetry, (s, i, ct) => s.SettleFindingAsync(i, ct), Json.FindingOutcome);
    public static readonly WorkflowStep<ConfirmationOutcome> AwaitConfirmation =
        Declare("AwaitConfirmation", BookkeepingRetry, (s, i, ct) => s.AwaitConfirmationAsync(i, ct), Json.ConfirmationOutcome);
    public static readonly WorkflowStep<ReopenOutcome> Reopen =
        Declare("Reopen", BookkeepingRetry, (s, i, ct) => s.ReopenAsync(i, ct), Json.ReopenOutcome);

    private static readonly FrozenDictionary<string, WorkflowStep> ByName = Declared.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Every declared step, in declaration order.</summary>
    public static IReadOnlyList<WorkflowStep> All => Declared;

    /// <summary>The step of that name; throws for a name no declaration has.</summary>
    public static WorkflowStep Find(string name) =>
        ByName.TryGetValue(name, out var step) ? step : throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown workflow step.");

    /// <summary>Runs the named step and returns its JSON result: how engines that dispatch by name call a step.</summary>
    public static Task<string> RunAsync(IPipelineSteps steps, StepCall call, CancellationToken ct) => Find(call.Step).RunAsync(steps, call.Input, ct);

    private static WorkflowJsonContext Json => WorkflowJsonContext.Default;

    private static WorkflowStep<T> Declare<T>(string name, StepRetryPolicy retry,
        Func<IPipelineSteps, StepInput, CancellationToken, Task<T>> run, JsonTypeInfo<T> json)
    {
        var step = new WorkflowStep<T>(name, retry, run, json);
        if (Declared.Any(s => s.Name == name))
        {
            throw new InvalidOperationException($"Workflow step '{name}' is declared twice.");
        }
        Declared.Add(step);
        return step;
    }
}

/// <summary>A step to run and its input: what the Durable activity receives.</summary>
public sealed record StepCall(string Step, StepInput Input);

/// <summary>Checkpoint and message shapes of the workflow.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StepInput))]
[JsonSerializable(typeof(StepCall))]
[JsonSerializable(typeof(StepDone))]
[JsonSerializable(typeof(DecisionOutcome))]
[JsonSerializable(typeof(ExecutionOutcome))]
[JsonSerializable(typeof(QuestionOutcome))]
[JsonSerializable(typeof(WorkOutcome))]
[JsonSerializable(typeof(FindingOutcome))]
[JsonSerializable(typeof(ConfirmationOutcome))]
[JsonSerializable(typeof(ReopenOutcome))]
[JsonSerializable(typeof(WorkflowSignal))]
[JsonSerializable(typeof(WorkflowProgress))]
[JsonSerializable(typeof(WorkflowResult))]
public sealed partial class WorkflowJsonContext : JsonSerializerContext;
