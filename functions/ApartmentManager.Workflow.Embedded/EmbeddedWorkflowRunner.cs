using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Workflow.Embedded;

/// <summary>
/// The single-node workflow engine. Instances are rows in SQLite; a bounded ready queue feeds at most N concurrent
/// workers; each run replays the workflow over its checkpoints. On start every unfinished instance is resumed, so a
/// process killed mid-pipeline loses nothing and repeats nothing that was recorded.
/// </summary>
public sealed partial class EmbeddedWorkflowRunner : BackgroundService, IWorkflowGateway, IWorkflowStatusReader
{
    private readonly WorkflowStore _store;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;
    private readonly EmbeddedWorkflowOptions _options;
    private readonly ILogger<EmbeddedWorkflowRunner> _logger;
    private readonly Channel<string> _ready;
    private readonly ConcurrentDictionary<string, byte> _queuedOrRunning = new();

    public EmbeddedWorkflowRunner(IServiceProvider services, IOptions<StorageOptions> storage, IOptions<EmbeddedWorkflowOptions> options,
        TimeProvider clock, ILogger<EmbeddedWorkflowRunner> logger)
    {
        _services = services;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        var path = Path.Combine(storage.Value.ResolveDataDirectory(), "workflow.db");
        _store = new WorkflowStore(new SqliteDatabase(path, WorkflowStore.Migrations), clock);
        _ready = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public async Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default)
    {
        if (_store.TryCreate(requestId))
        {
            LogStarted(requestId);
        }
        await EnqueueAsync(requestId, cancellationToken);
    }

    public async Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default)
    {
        if (_store.AddSignal(requestId, eventName, payload))
        {
            LogSignal(requestId, eventName);
            await EnqueueAsync(requestId, cancellationToken);
        }
    }

    /// <summary>The instance's state for the workflow endpoint; null if the request never started a workflow.</summary>
    public WorkflowInstanceState? GetState(string requestId) => _store.Get(requestId);

    public Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default)
    {
        if (_store.Get(requestId) is not { } state)
        {
            return Task.FromResult<WorkflowStatus?>(null);
        }
        var progress = state.Progress is null ? null : JsonSerializer.Deserialize(state.Progress, WorkflowJsonContext.Default.WorkflowProgress);
        return Task.FromResult<WorkflowStatus?>(new WorkflowStatus(state.Status, progress?.Step,
            state.Status == "waiting" ? progress?.AwaitedEvent : null, state.Status == "waiting" ? progress?.DueAt : null,
            state.Error ?? progress?.Detail, state.UpdatedAt));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Anything a dead process left 'running' runs again: its recorded steps replay, the rest continue.
        foreach (var id in _store.Runnable(includeRunning: true, int.MaxValue))
        {
            await EnqueueAsync(id, stoppingToken);
        }
        var workers = Enumerable.Range(0, Math.Max(1, _options.MaxConcurrentInstances)).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(PollAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var id in _store.Runnable(includeRunning: false, _options.QueueCapacity))
                {
                    await EnqueueAsync(id, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(ct))
            {
                bool runAgain;
                try
                {
                    runAgain = await RunOnceAsync(id, ct);
                }
                finally
                {
                    _queuedOrRunning.TryRemove(id, out _);
                }
                if (runAgain)
                {
                    await EnqueueAsync(id, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Queues an instance unless it is queued or running already (a signal for a running one is seen by the poller).</summary>
    private async ValueTask EnqueueAsync(string id, CancellationToken ct)
    {
        if (_queuedOrRunning.TryAdd(id, 0))
        {
            await _ready.Writer.WriteAsync(id, ct); // waits when the queue is full: backpressure on whoever starts work
        }
    }

    /// <summary>Runs an instance until it completes, fails or waits; true when it must run again at once.</summary>
    private async Task<bool> RunOnceAsync(string id, CancellationToken ct)
    {
        var state = _store.Get(id);
        if (state is null || state.Status is "completed" or "failed")
        {
            return false;
        }
        _store.SetStatus(id, "running");
        await using var scope = _services.CreateAsyncScope();
        var context = new EmbeddedWorkflowContext(id, _store, scope.ServiceProvider.GetRequiredService<IPipelineSteps>(), _clock, ct);
        try
        {
            var result = await RequestWorkflow.RunAsync(context);
            _store.SetStatus(id, "completed", result: JsonSerializer.Serialize(result, WorkflowJsonContext.Default.WorkflowResult));
            LogCompleted(id, result.Status, result.Detail);
        }
        catch (WorkflowSuspendedException suspended)
        {
            _store.SetStatus(id, "waiting", wakeAt: suspended.WakeAt);
            // A signal raised while this run was replaying could not queue it (it was running) and its wake-up was
            // just overwritten by the timer's: if one of the awaited events is waiting, run again now.
            return _store.HasSignal(id, suspended.AwaitedEvents);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: stays 'running' and is resumed on the next start.
        }
        catch (Exception e)
        {
            _store.SetStatus(id, "failed", error: e.Message);
            LogFailed(e, id);
        }
        return false;
    }

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} started")]
    private partial void LogStarted(string instanceId);

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} received {EventName}")]
    private partial void LogSignal(string instanceId, string eventName);

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} completed as {Status}: {Detail}")]
    private partial void LogCompleted(string instanceId, ApartmentManager.Domain.RequestStatus status, string detail);

    [LoggerMessage(LogLevel.Error, "Workflow {InstanceId} failed")]
    private partial void LogFailed(Exception exception, string instanceId);
}
