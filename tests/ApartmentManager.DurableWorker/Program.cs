using ApartmentManager.DurableWorker;
using ApartmentManager.Execution;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// A Durable Task worker process over the Azure Storage backend: the gRPC sidecar dispatches the task hub's work to the
// SDK worker in this process, which runs the Functions app's orchestrator and activity functions. Configuration from
// the environment (DurableWorker__*, Execution__*, Storage__DataDirectory). Prints "ready <sidecar address>" once the
// worker is connected; runs until killed (or stdin closes).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var options = builder.Configuration.GetSection(DurableWorkerOptions.Section).Get<DurableWorkerOptions>() ?? new DurableWorkerOptions();
if (options.Problem() is { } problem)
{
    Console.Error.WriteLine(problem);
    return 2;
}
builder.Services.AddSingleton(Options.Create(options));

using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var service = AzureStorageTaskHub.Create(options.StorageConnectionString, options.TaskHub, $"worker-{Environment.ProcessId}", loggerFactory);
await service.CreateIfNotExistsAsync();
await using var sidecar = await TaskHubSidecar.StartAsync(service, TaskHubGrpcServerMode.ApiServerAndDispatcher, loggerFactory);
using var channel = GrpcChannel.ForAddress(sidecar.Address);

// The app's own execution path: IActionExecutor, its SQLite execution log, the webhook gateways.
builder.Services.AddExecution(builder.Configuration);
builder.Services.AddSingleton<IPipelineSteps, ExecutingSteps>();
var stepLog = options.StepLog is { Length: > 0 } path ? new StepLog(path) : null;
builder.Services.AddDurableTaskWorker(worker =>
{
    worker.UseGrpc(channel);
    worker.AddTasks(registry =>
    {
        registry.AddOrchestratorFunc<object?, WorkflowResult>(RequestWorkflow.Name, RunOrchestratorAsync);
        foreach (var (name, method) in FunctionActivity.Declared(typeof(RequestOrchestrator).Assembly))
        {
            registry.AddActivity(name, services => new FunctionActivity(name, method, services, stepLog is null ? null : stepLog.Append));
        }
    });
});

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"ready {sidecar.Address}");
// Stops when the parent closes stdin (a graceful stop); the crash test kills the process instead.
await Task.Run(() => Console.In.ReadToEnd());
await host.StopAsync();
return 0;

static Task<WorkflowResult> RunOrchestratorAsync(TaskOrchestrationContext context, object? input) => RequestOrchestrator.RunAsync(context);

/// <summary>One line per activity execution: request id, the step it ran, process id.</summary>
internal sealed class StepLog(string path)
{
    private readonly Lock gate = new();

    public void Append(string activity, object? input)
    {
        var (requestId, what) = input switch
        {
            StepInput step => (step.RequestId, activity),
            _ => ("", activity),
        };
        lock (gate)
        {
            File.AppendAllText(path, $"{requestId}\t{what}\t{Environment.ProcessId}\n");
        }
    }
}
