using ApartmentManager.Domain;

namespace ApartmentManager.Observability.Usage;

/// <summary>
/// Collects the work done for one request while a step runs: whoever spends LLM tokens, model-server time or simulation
/// CPU adds to <see cref="Current"/> (an async-local, so concurrent requests never mix). The step saves the sum on the
/// request with its result. Nothing is recorded when no recorder is active (e.g. the stand-alone agent endpoints).
/// </summary>
public sealed class UsageRecorder
{
    private static readonly AsyncLocal<UsageRecorder?> CurrentRecorder = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ModelTokenUsage> _models = new(StringComparer.Ordinal);
    private double _modelServerMs;
    private double _simulationCpuMs;

    private UsageRecorder(string? requestId, string? subject)
    {
        RequestId = requestId;
        Subject = subject;
    }

    /// <summary>The recorder of the work in progress, if any.</summary>
    public static UsageRecorder? Current => CurrentRecorder.Value;

    public string? RequestId { get; }

    /// <summary>Whose budget the work counts against (the resident who filed the request, or the calling user).</summary>
    public string? Subject { get; set; }

    /// <summary>Starts recording for the current async flow until the returned scope is disposed.</summary>
    public static Scope Begin(string? requestId, string? subject)
    {
        var recorder = new UsageRecorder(requestId, subject);
        var previous = CurrentRecorder.Value;
        CurrentRecorder.Value = recorder;
        return new Scope(recorder, previous);
    }

    public void AddLlm(string model, long promptTokens, long completionTokens, bool cached)
    {
        lock (_gate)
        {
            var before = _models.GetValueOrDefault(model) ?? new ModelTokenUsage(model, 0, 0, 0);
            _models[model] = before with
            {
                PromptTokens = before.PromptTokens + promptTokens,
                CompletionTokens = before.CompletionTokens + completionTokens,
                Calls = before.Calls + 1,
                CachedCalls = before.CachedCalls + (cached ? 1 : 0),
            };
        }
    }

    public void AddModelServer(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _modelServerMs += elapsed.TotalMilliseconds;
        }
    }

    public void AddSimulationCpu(TimeSpan cpu)
    {
        lock (_gate)
        {
            _simulationCpuMs += cpu.TotalMilliseconds;
        }
    }

    /// <summary>What was recorded so far.</summary>
    public RequestUsage Snapshot()
    {
        lock (_gate)
        {
            return new RequestUsage([.. _models.Values.OrderBy(m => m.Model, StringComparer.Ordinal)],
                Math.Round(_modelServerMs, 3), Math.Round(_simulationCpuMs, 3));
        }
    }

    /// <summary>Ends a recording and restores the one that was active before.</summary>
    public readonly struct Scope(UsageRecorder recorder, UsageRecorder? previous) : IDisposable
    {
        public UsageRecorder Recorder => recorder;

        public void Dispose() => CurrentRecorder.Value = previous;
    }
}
