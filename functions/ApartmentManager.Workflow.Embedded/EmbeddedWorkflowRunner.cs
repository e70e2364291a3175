using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Workflow.Embedded;

/// <summary>
/// The single-node workflow engine. Instances are rows in SQLite; a bounded in-memory ready queue feeds at most N
/// concurrent workers; each run replays the workflow over its checkpoints. On start every unfinished instance is resumed,
/// so a process killed mid-pipeline loses nothing and repeats nothing that was recorded.
/// </summary>
/// <remarks>
/// The SQLite table is the queue; the in-memory ready queue is only a window onto it. Nobody but the feeder ever waits
/// for room in that window, and the feeder is drained by the workers, which never write to it: starting work or raising
/// a signal records it durably and offers the id without waiting (when the window is full the feeder picks it up from
/// the table), and a worker that must run an instance again runs it itself. So any backlog — more unfinished instances
/// than <see cref="EmbeddedWorkflowOptions.QueueCapacity"/> after a restart, or a burst of intake — drains without
/// blocking start-up, the intake path or the workers.
/// </remarks>
public sealed partial class EmbeddedWorkflowRunner : BackgroundService, IWorkflowGateway, IWorkflowStatusReader
{
    private readonly WorkflowStore _store;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;
    private readonly EmbeddedWorkflowOptions _options;
    private readonly ILogger<EmbeddedWorkflowRunner> _logger;
    private readonly Channel<string> _ready;
    private readonly Channel<bool> _nudge = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, byte> _queuedOrRunning = new();
    // 1 while runnable instances may wait in the table for room in the ready queue (an offer found it full, or the
    // feeder's last look filled a whole window): only then does a worker that finishes wake the feeder. Otherwise the
    // feeder looks on its poll tick alone (due timers), not once per run: a look reads up to a window of rows.
    private int _overflow;

    public EmbeddedWorkflowRunner(IServiceProvider services, IOptions<StorageOptions> storage, IOptions<EmbeddedWorkflowOptions> options,
        TimeProvider clock, ILogger<EmbeddedWorkflowRunner> logger)
    {
        _services = services;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        // The engine's tables live in the request store's file (the same SqliteDatabase when the SQLite request store is
        // registered), so a step's write of the request commits the engine's checkpoint and progress with it.
        var directory = storage.Value.ResolveDataDirectory();
        var database = services.GetKeyedService<SqliteDatabase>(SqliteServiceCollectionExtensions.RequestsDatabaseKey)
            ?? new SqliteDatabase(Path.Combine(directory, "requests.db"), []);
        _store = WorkflowStore.Open(database, Path.Combine(directory, WorkflowStore.LegacyFileName), clock);
        _ready = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default)
    {
        if (_store.TryCreate(requestId, TraceContext.Current()))
        {
            LogStarted(requestId);
        }
        Offer(requestId);
        return Task.CompletedTask;
    }

    public Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default)
    {
        if (_store.AddSignal(requestId, eventName, payload))
        {
            LogSignal(requestId, eventName);
            Offer(requestId);
        }
        return Task.CompletedTask;
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
        await Task.Yield(); // never hold up the host's start-up, whatever the backlog
        // Anything a dead process left 'running' runs again: its recorded steps replay, the rest continue.
        var resumed = _store.ResetRunning();
        if (resumed > 0)
        {
            LogResuming(resumed);
        }
        // Workers first: they are what drains the ready queue, so they read before anything can wait to write to it.
        var workers = Enumerable.Range(0, Math.Max(1, _options.MaxConcurrentInstances)).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(FeedAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Moves runnable instances from the table into the ready queue, a window at a time: new and woken ones, due timers,
    /// and whatever a crash or a full queue left behind. The only writer that waits for room; the workers make it.
    /// </summary>
    private async Task FeedAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var capacity = Math.Max(1, _options.QueueCapacity);
                // Cleared before the look: an offer that overflows after it sets it again (and nudges).
                Volatile.Write(ref _overflow, 0);
                // Ids already queued or running may head the list; ask for enough to find a full window of new ones.
                var queued = _queuedOrRunning.Count;
                var runnable = _store.Runnable(includeRunning: false, capacity + queued);
                if (runnable.Count >= capacity + queued)
                {
                    Volatile.Write(ref _overflow, 1); // more may wait beyond this window
                }
                var added = 0;
                foreach (var id in runnable)
                {
                    if (_queuedOrRunning.TryAdd(id, 0))
                    {
                        await _ready.Writer.WriteAsync(id, ct);
                        added++;
                    }
                }
                if (runnable.Count < capacity + queued || added == 0)
                {
                    // Caught up (or everything found is already in hand): sleep until nudged or the next tick.
                    await WaitForNudgeAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForNudgeAsync(CancellationToken ct)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
        tick.CancelAfter(_options.PollInterval);
        try
        {
            await _nudge.Reader.ReadAsync(tick.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the poll interval passed: look for due timers
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(ct))
            {
                try
                {
                    // An instance that must run again at once (a signal arrived mid-run) runs again here: a worker never
                    // waits for room in the queue it drains.
                    var rerun = false;
                    while (await RunOnceAsync(id, rerun, ct))
                    {
                        rerun = true;
                    }
                }
                finally
                {
                    _queuedOrRunning.TryRemove(id, out _);
                }
                if (Volatile.Read(ref _overflow) == 1)
                {
                    _nudge.Writer.TryWrite(true); // room in the window, and the feeder has more
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Queues an instance unless it is queued or running already (a signal for a running one is seen when its run ends).
    /// Never waits: the instance is recorded already, and when the queue is full the feeder finds it in the table.
    /// </summary>
    private void Offer(string id)
    {
        if (!_queuedOrRunning.TryAdd(id, 0))
        {
            return;
        }
        if (!_ready.Writer.TryWrite(id))
        {
            _queuedOrRunning.TryRemove(id, out _);
            Volatile.Write(ref _overflow, 1);
            _nudge.Writer.TryWrite(true);
        }
    }

    /// <summary>Runs an instance until it completes, fails or waits; true when it must run again at once.</summary>
    private async Task<bool> RunOnceAsync(string id, bool rerun, CancellationToken ct)
    {
        // Marks it running unless it is finished, or waits for a time not yet come and nothing has woken it since (queued
        // twice by a race with its previous run); one statement, which also reads the trace context it was started in.
        var (start, traceParent) = _store.BeginRun(id, rerun);
        if (!start)
        {
            return false;
        }
        // Each run continues the trace of the request that started the instance (the HTTP request or queue message).
        using var run = WorkflowTelemetry.StartRun(id, traceParent);
        await using var scope = _services.CreateAsyncScope();
        var context = new EmbeddedWorkflowContext(id, _store, scope.ServiceProvider.GetRequiredService<IPipelineSteps>(), _clock, ct);
        try
        {
            var result = await RequestWorkflow.RunAsync(context);
            _store.SetStatus(id, "completed", result: JsonSerializer.Serialize(result, WorkflowJsonContext.Default.WorkflowResult), pending: context.Pending);
            LogCompleted(id, result.Status, result.Detail);
            WorkflowTelemetry.Completed.Add(1, new KeyValuePair<string, object?>("status", ApartmentManager.Domain.Names.Of(result.Status)));
        }
        catch (WorkflowSuspendedException suspended)
        {
            // The wait parked the instance as waiting (with its wake-up time) in the transaction that found no signal.
            run?.SetTag("am.workflow.waiting_for", string.Join(",", suspended.AwaitedEvents));
            // A signal raised while this run was replaying could not queue it (it was running): if one of the awaited
            // events is waiting, run again now.
            return _store.HasSignal(id, suspended.AwaitedEvents);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: stays 'running' and is resumed on the next start (what was pending is recomputed by replay).
        }
        catch (Exception e)
        {
            _store.SetStatus(id, "failed", error: e.Message, pending: context.Pending);
            LogFailed(e, id);
            run.Fail(e);
            WorkflowTelemetry.Completed.Add(1, new KeyValuePair<string, object?>("status", "failed"));
        }
        return false;
    }

    [LoggerMessage(LogLevel.Information, "Resuming {Count} workflow instances a stopped process left running")]
    private partial void LogResuming(int count);

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} started")]
    private partial void LogStarted(string instanceId);

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} received {EventName}")]
    private partial void LogSignal(string instanceId, string eventName);

    [LoggerMessage(LogLevel.Information, "Workflow {InstanceId} completed as {Status}: {Detail}")]
    private partial void LogCompleted(string instanceId, ApartmentManager.Domain.RequestStatus status, string detail);

    [LoggerMessage(LogLevel.Error, "Workflow {InstanceId} failed")]
    private partial void LogFailed(Exception exception, string instanceId);
}
