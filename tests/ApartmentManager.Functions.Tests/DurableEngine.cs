using System.Collections.Concurrent;
using ApartmentManager.Application.Ports;
using ApartmentManager.DurableWorker;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The real Durable Task engine in process (<see cref="DurableTaskTestHost"/>: the Durable Task SDK worker and client
/// over gRPC against an in-memory task hub). It runs the app's own orchestrator function and every activity function
/// the app declares (found by their <c>[ActivityTrigger]</c>, so new steps are picked up without edits here); the
/// engine replays the orchestrator from history on every event, as in Azure.
/// </summary>
internal sealed class DurableEngine : IAsyncDisposable
{
    private readonly DurableTaskTestHost host;
    private readonly ServiceProvider services;

    private DurableEngine(DurableTaskTestHost host, ServiceProvider services, ConcurrentQueue<(string, object?)> executed)
    {
        this.host = host;
        this.services = services;
        Executed = executed;
    }

    public DurableTaskClient Client => host.Client;

    /// <summary>Every activity execution, in order: the step it ran (or the function name) and its input.</summary>
    public ConcurrentQueue<(string Activity, object? Input)> Executed { get; }

    /// <summary>The app's gateway over the engine's client, as a trigger's invocation scope would have it.</summary>
    public DurableWorkflowGateway Gateway => new(new DurableClientScope(Client), NullLogger<DurableWorkflowGateway>.Instance);

    public static async Task<DurableEngine> StartAsync(IPipelineSteps steps)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(steps);
        var provider = services.BuildServiceProvider();
        var executed = new ConcurrentQueue<(string, object?)>();
        var activities = FunctionActivity.Discover(typeof(RequestOrchestrator).Assembly, provider, (activity, input) => executed.Enqueue((activity, input)));
        var host = await StartHostAsync(registry =>
        {
            registry.AddOrchestratorFunc<object?, WorkflowResult>(RequestWorkflow.Name, RunOrchestratorAsync);
            foreach (var activity in activities)
            {
                registry.AddActivity(activity.Name, activity);
            }
        });
        return new DurableEngine(host, provider, executed);
    }

    /// <summary>
    /// Starts the test host on a port the operating system just handed out. Left to itself the host draws a random
    /// port in 30000-40000, which overlaps Linux's ephemeral range (32768+) where the other test processes' client
    /// sockets live, so a parallel test run could collide ("address already in use"). A port can still be taken
    /// between our probe and the host's bind, so a collision is retried on a fresh port.
    /// </summary>
    private static async Task<DurableTaskTestHost> StartHostAsync(Action<DurableTaskRegistry> registry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry, new DurableTaskTestHostOptions { Port = FreeLoopbackPort() });
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Task<WorkflowResult> RunOrchestratorAsync(TaskOrchestrationContext context, object? input) => RequestOrchestrator.RunAsync(context);

    /// <summary>Starts the request's workflow through the app's gateway and waits until it ends.</summary>
    public async Task<(OrchestrationMetadata Instance, WorkflowResult Result)> RunAsync(string requestId, Func<Task>? whileRunning = null)
    {
        await Gateway.StartAsync(requestId, "res-1");
        if (whileRunning is not null)
        {
            await whileRunning();
        }
        return await CompletionAsync(requestId);
    }

    public async Task<(OrchestrationMetadata Instance, WorkflowResult Result)> CompletionAsync(string requestId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await Client.WaitForInstanceCompletionAsync(requestId, getInputsAndOutputs: true, patience.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return (instance, instance.ReadOutputAs<WorkflowResult>()!);
    }

    /// <summary>Waits until the workflow reports that it waits in <paramref name="step"/> (its custom status).</summary>
    public async Task<WorkflowStatus> WaitingInAsync(string requestId, string step)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await Gateway.GetAsync(requestId, patience.Token) is { CurrentStep: var current, AwaitedEvent: not null } status && current == step)
            {
                return status;
            }
            await Task.Delay(50, patience.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        await services.DisposeAsync();
    }
}

/// <summary>
/// The pipeline steps as a script: each step records its call and answers what the test set (the decision, the
/// execution outcome, a step that always fails). Stands in for the pipeline so every branch of the workflow can be
/// driven; the pipeline itself is tested in its own projects.
/// </summary>
internal sealed class ScriptedSteps : IPipelineSteps
{
    public ConcurrentQueue<(string Step, StepInput Input)> Calls { get; } = new();

    public DecisionOutcome Decision { get; set; } = new(ApartmentManager.Domain.NextStep.Proceed, "opt-1",
        TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), AutoSelectOnTimeout: false, ApartmentManager.Domain.RequestStatus.Decided);

    public ExecutionOutcome Execution { get; set; } = new(true, ["exec-1"]);

    /// <summary>A step that throws on every attempt.</summary>
    public string? Failing { get; set; }

    public IReadOnlyList<string> Steps => [.. Calls.Select(c => c.Step)];

    public StepInput InputOf(string step) => Calls.Single(c => c.Step == step).Input;

    private Task<T> Answer<T>(string step, StepInput input, T result)
    {
        Calls.Enqueue((step, input));
        if (step == Failing)
        {
            throw new InvalidOperationException($"{step} is broken");
        }
        return Task.FromResult(result);
    }

    private Task<StepDone> Done(string step, StepInput input) => Answer(step, input, new StepDone(ApartmentManager.Domain.RequestStatus.Decided, step));

    public Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Classify.Name, input);
    public Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.PredictRisk.Name, input);
    public Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Simulate.Name, input);
    public Task<DecisionOutcome> DecideAsync(StepInput input, CancellationToken ct) => Answer(WorkflowSteps.Decide.Name, input, Decision);
    public Task<StepDone> AwaitResidentAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.AwaitResident.Name, input);
    public Task<StepDone> AwaitManagerAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.AwaitManager.Name, input);
    public Task<StepDone> SelectOptionAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.SelectOption.Name, input);
    public Task<ExecutionOutcome> ExecuteAsync(StepInput input, CancellationToken ct) => Answer(WorkflowSteps.Execute.Name, input, Execution);
    public Task<StepDone> CompensateAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Compensate.Name, input);
    public Task<StepDone> NotifyAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Notify.Name, input);
    public Task<StepDone> ResolveAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Resolve.Name, input);
    public Task<StepDone> EscalateAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.Escalate.Name, input);
    // No question to ask, no work left open, and a zero confirmation window: an unanswered confirmation resolves at once.
    public Task<QuestionOutcome> AskQuestionAsync(StepInput input, CancellationToken ct) =>
        Answer(WorkflowSteps.AskQuestion.Name, input, new QuestionOutcome(false, TimeSpan.FromSeconds(30), ApartmentManager.Domain.RequestStatus.Classified));
    public Task<WorkOutcome> TrackWorkAsync(StepInput input, CancellationToken ct) =>
        Answer(WorkflowSteps.TrackWork.Name, input, new WorkOutcome(false, null, null, ApartmentManager.Domain.RequestStatus.AwaitingConfirmation));
    public Task<StepDone> PageOnCallAsync(StepInput input, CancellationToken ct) => Done(WorkflowSteps.PageOnCall.Name, input);
    public Task<FindingOutcome> SettleFindingAsync(StepInput input, CancellationToken ct) =>
        Answer(WorkflowSteps.SettleFinding.Name, input, new FindingOutcome(false, null, null, ApartmentManager.Domain.RequestStatus.AwaitingConfirmation));
    public Task<ConfirmationOutcome> AwaitConfirmationAsync(StepInput input, CancellationToken ct) =>
        Answer(WorkflowSteps.AwaitConfirmation.Name, input, new ConfirmationOutcome(TimeSpan.Zero, ApartmentManager.Domain.RequestStatus.AwaitingConfirmation));
    public Task<ReopenOutcome> ReopenAsync(StepInput input, CancellationToken ct) =>
        Answer(WorkflowSteps.Reopen.Name, input, new ReopenOutcome(1, false, ApartmentManager.Domain.RequestStatus.Executing));
}
