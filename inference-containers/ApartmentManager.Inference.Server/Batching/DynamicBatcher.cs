using System.Diagnostics;
using System.Threading.Channels;
using ApartmentManager.Inference.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Inference.Server.Batching;

/// <summary>
/// Coalesces concurrent requests for one model into session calls of up to <see cref="BatchingOptions.MaxBatchSize"/>
/// rows. A batch closes when it is full or when its oldest request has waited <see cref="BatchingOptions.MaxQueueDelayMilliseconds"/>;
/// under load the queue fills while a batch runs, so the next one is large without waiting at all.
/// Each request gets back exactly its own rows, in order. A request cancelled before its batch starts is dropped
/// from it; one cancelled while its batch runs is simply not answered: the other rows are unaffected either way.
/// The queue is bounded: <see cref="SubmitAsync"/> throws <see cref="QueueFullException"/> rather than queueing without limit.
/// </summary>
public sealed class DynamicBatcher<TIn, TOut> : IAsyncDisposable
{
    private readonly string _model;
    private readonly Func<IReadOnlyList<TIn>, TOut[]> _run;
    private readonly BatchingOptions _options;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<TIn>? _release;
    private readonly Channel<WorkItem> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private readonly TimeSpan _maxDelay;
    // One slot per worker: at most Workers session calls at once, whether a worker or a caller runs them; or slots
    // shared with other batchers of the same session (the encoder's length buckets).
    private readonly SemaphoreSlim _slots;
    private readonly bool _ownsSlots;
    private int _depth;

    /// <param name="release">Called once per submitted row when no session call can read it any more (pooled rows go back to their pool).</param>
    /// <param name="sharedSlots">Session calls allowed at once, shared with other batchers (not disposed here); null: <see cref="BatchingOptions.Workers"/> of its own.</param>
    public DynamicBatcher(string model, Func<IReadOnlyList<TIn>, TOut[]> run, BatchingOptions options, InferenceMetrics metrics, ILogger logger, Action<TIn>? release = null,
        SemaphoreSlim? sharedSlots = null)
    {
        _release = release;
        _model = model;
        _run = run;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _maxDelay = TimeSpan.FromMilliseconds(options.MaxQueueDelayMilliseconds);
        _ownsSlots = sharedSlots is null;
        _slots = sharedSlots ?? new SemaphoreSlim(options.Workers, options.Workers);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse, never drop a queued request
            SingleReader = options.Workers == 1,
            SingleWriter = false,
        });
        metrics.TrackQueueDepth(model, () => Volatile.Read(ref _depth));
        // Each worker is a dedicated thread: it blocks in the session call, and blocking thread-pool threads there
        // would starve the requests that fill the next batch (on 2 cores the pool starts with 2 threads).
        _workers = options.Enabled
            ? Enumerable.Range(0, options.Workers).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray()
            : [];
    }

    /// <summary>Requests waiting for a batch right now.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>
    /// Answers <paramref name="rows"/> in order; from this call on the batcher owns the rows (see the release callback).
    /// With batching disabled the rows run at once on the caller's thread.
    /// </summary>
    public Task<TOut[]> SubmitAsync(IReadOnlyList<TIn> rows, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Release(rows);
            return Task.FromCanceled<TOut[]>(cancellationToken);
        }
        if (!_options.Enabled)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var direct = _run(rows);
                _metrics.RecordBatch(_model, rows.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return Task.FromResult(direct);
            }
            finally
            {
                Release(rows);
            }
        }
        // A request that fills a batch by itself gains nothing from the queue: with nothing waiting and a slot
        // free it runs at once on the caller's thread, sparing two thread hops. Otherwise it queues like any other.
        if (rows.Count >= _options.MaxBatchSize && Volatile.Read(ref _depth) == 0 && _slots.Wait(0))
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var inline = _run(rows);
                _metrics.RecordQueueWait(_model, 0);
                _metrics.RecordBatch(_model, rows.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return Task.FromResult(inline);
            }
            finally
            {
                _slots.Release();
                Release(rows);
            }
        }
        var item = new WorkItem(rows, cancellationToken);
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            Finish(item);
            throw new QueueFullException(_model, _options.QueueCapacity);
        }
        return item.Completion.Task;
    }

    private void Release(IReadOnlyList<TIn> rows)
    {
        if (_release is not null)
        {
            foreach (var row in rows)
            {
                _release(row);
            }
        }
    }

    /// <summary>The worker is done with the item: its rows go back, its cancellation registration goes away.</summary>
    private void Finish(WorkItem item)
    {
        Release(item.Rows);
        item.Dispose();
    }

    /// <summary>The worker loop, synchronous on its own thread: take the oldest request, fill the batch, run it.</summary>
    private void Work()
    {
        var reader = _queue.Reader;
        var batch = new List<WorkItem>(_options.MaxBatchSize);
        var rows = new List<TIn>(_options.MaxBatchSize);
        WorkItem? carried = null;
        try
        {
            while (true)
            {
                var first = carried ?? Next(reader);
                carried = null;
                if (first is null)
                {
                    return;
                }
                if (first.IsAbandoned)
                {
                    Finish(first);
                    continue;
                }
                // A free session call first, then the batch: while this worker waits, its queue keeps filling.
                _slots.Wait(_stopping.Token);
                batch.Add(first);
                var count = first.Rows.Count;
                var deadline = first.EnqueuedAt + _maxDelay;
                while (count < _options.MaxBatchSize)
                {
                    if (reader.TryRead(out var next))
                    {
                        Interlocked.Decrement(ref _depth);
                        if (next.IsAbandoned)
                        {
                            Finish(next);
                            continue;
                        }
                        if (count + next.Rows.Count > _options.MaxBatchSize)
                        {
                            // Never split a request across batches: it opens the next one.
                            carried = next;
                            break;
                        }
                        batch.Add(next);
                        count += next.Rows.Count;
                        continue;
                    }
                    var remaining = deadline - Stopwatch.GetElapsedTime(0);
                    if (remaining <= TimeSpan.Zero || !WaitForMore(reader, remaining))
                    {
                        break;
                    }
                }
                try
                {
                    Execute(batch, rows);
                }
                finally
                {
                    _slots.Release();
                }
                batch.Clear();
                rows.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException && _stopping.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher<TIn, TOut>)));
                Finish(item);
            }
            if (carried is not null)
            {
                carried.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher<TIn, TOut>)));
                Finish(carried);
            }
        }
    }

    private WorkItem? Next(ChannelReader<WorkItem> reader)
    {
        while (true)
        {
            if (reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _depth);
                return item;
            }
            var wait = reader.WaitToReadAsync(_stopping.Token);
            if (!(wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
            {
                return null;
            }
        }
    }

    /// <summary>True when an item arrived within <paramref name="timeout"/> (blocks this worker's own thread).</summary>
    private bool WaitForMore(ChannelReader<WorkItem> reader, TimeSpan timeout)
    {
        var wait = reader.WaitToReadAsync(_stopping.Token);
        if (wait.IsCompleted)
        {
            return wait.Result;
        }
        var task = wait.AsTask();
        return task.Wait(timeout, _stopping.Token) && task.Result;
    }

    private void Execute(List<WorkItem> batch, List<TIn> rows)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var item in batch)
        {
            _metrics.RecordQueueWait(_model, Stopwatch.GetElapsedTime(item.EnqueuedTimestamp, now).TotalSeconds);
            rows.AddRange(item.Rows);
        }
        TOut[] results;
        try
        {
            results = _run(rows);
            if (results.Length != rows.Count)
            {
                throw new InvalidOperationException($"Model '{_model}' returned {results.Length} rows for {rows.Count}.");
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Batch of {Rows} rows failed for model {Model}", rows.Count, _model);
            foreach (var item in batch)
            {
                item.Completion.TrySetException(ex);
                Finish(item);
            }
            return;
        }
        _metrics.RecordBatch(_model, rows.Count, Stopwatch.GetElapsedTime(now).TotalSeconds);
        var offset = 0;
        foreach (var item in batch)
        {
            var mine = results.AsSpan(offset, item.Rows.Count).ToArray();
            offset += item.Rows.Count;
            // Fails harmlessly if the caller cancelled meanwhile.
            item.Completion.TrySetResult(mine);
            Finish(item);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        while (_queue.Reader.TryRead(out var left))
        {
            left.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher<TIn, TOut>)));
            Finish(left);
        }
        _stopping.Dispose();
        if (_ownsSlots)
        {
            _slots.Dispose();
        }
    }

    private sealed class WorkItem : IDisposable
    {
        private readonly CancellationTokenRegistration _registration;

        public WorkItem(IReadOnlyList<TIn> rows, CancellationToken cancellationToken)
        {
            Rows = rows;
            EnqueuedTimestamp = Stopwatch.GetTimestamp();
            EnqueuedAt = Stopwatch.GetElapsedTime(0, EnqueuedTimestamp);
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.Register(static (state, token) => ((TaskCompletionSource<TOut[]>)state!).TrySetCanceled(token), Completion);
            }
        }

        public IReadOnlyList<TIn> Rows { get; }
        public long EnqueuedTimestamp { get; }
        public TimeSpan EnqueuedAt { get; }
        public TaskCompletionSource<TOut[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The caller gave up before the batch started: its rows stay out of the session call.</summary>
        public bool IsAbandoned => Completion.Task.IsCompleted;

        public void Dispose() => _registration.Dispose();
    }
}
