using System.Diagnostics;
using ApartmentManager.Domain;
using ApartmentManager.Observability;
using ApartmentManager.Observability.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApartmentManager.Llm;

/// <summary>A model the router can send to: its name (route entries refer to it) and its client.</summary>
public sealed record LlmModel(string Name, IChatClient Client);

/// <summary>One LLM-assisted task: which prompt, the values for it, the chat options, and what counts as a usable answer.</summary>
/// <param name="CacheInput">What identifies the answer besides the prompt (normalised for the cache key); usually the user message.</param>
/// <param name="Accept">Whether an answer can be used; an unusable one makes the router try the next model and is never cached.</param>
public sealed record LlmCall(
    string Task,
    PromptTemplate Prompt,
    IReadOnlyDictionary<string, string> Values,
    ChatOptions Options,
    TimeSpan Timeout,
    Func<string, bool>? Accept = null)
{
    public string UserMessage => Prompt.RenderUser(Values);
}

/// <summary>What came back: the answer text (null when every model failed), who wrote it, and which prompt.</summary>
/// <param name="Model">The registered model (route entry) that answered.</param>
/// <param name="ResponseModel">The model id the service reported, when it did.</param>
public sealed record LlmResult(string? Text, string? Model, PromptRef Prompt, bool Cached, string? FailureReason, string? ResponseModel = null)
{
    public bool Succeeded => Text is not null;
}

/// <summary>The one way the agents reach an LLM.</summary>
public interface ILlmRouter
{
    /// <summary>True when at least one model is registered (otherwise agents run without the LLM).</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Answers <paramref name="call"/> from the cache or from the first model of the task's route that gives a usable
    /// answer. Failures (errors, timeouts, unusable answers) move to the next model and end as a failure reason, never
    /// an exception, except the caller's own cancellation.
    /// </summary>
    Task<LlmResult> CompleteAsync(LlmCall call, CancellationToken cancellationToken);
}

/// <summary>
/// Routes each task through its chain of models, caches usable answers, and meters every call: a span per attempt,
/// token and latency metrics, the request's usage (<see cref="UsageRecorder"/>) and the subject's daily tokens
/// (<see cref="ILlmTokenLedger"/>).
/// </summary>
public sealed partial class LlmRouter : ILlmRouter
{
    private readonly IReadOnlyList<LlmModel> _models;
    private readonly LlmOptions _options;
    private readonly ILlmResponseCache _cache;
    private readonly ILlmTokenLedger? _ledger;
    private readonly ILogger _logger;

    public LlmRouter(IEnumerable<LlmModel> models, LlmOptions options, ILlmResponseCache cache, ILlmTokenLedger? ledger = null, ILogger<LlmRouter>? logger = null)
    {
        _models = [.. models];
        _options = options;
        _cache = cache;
        _ledger = ledger;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var names = _models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (task, chain) in options.Routes)
        {
            var unknown = chain.Where(n => !names.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException($"Llm:Routes:{task} names unknown model(s) {string.Join(", ", unknown)}; registered: {string.Join(", ", names)}.");
            }
        }
    }

    /// <summary>A router over one client (tests, and hosts that register a bare <see cref="IChatClient"/>).</summary>
    public static LlmRouter ForClient(IChatClient client, string name = "default", ILlmResponseCache? cache = null) =>
        new([new LlmModel(name, client)], new LlmOptions(), cache ?? new InMemoryLlmResponseCache(0, TimeSpan.Zero, TimeProvider.System));

    public bool IsAvailable => _models.Count > 0;

    /// <summary>The models tried for <paramref name="task"/>, in order.</summary>
    public IReadOnlyList<LlmModel> RouteFor(string task) =>
        _options.Routes.TryGetValue(task, out var chain) && chain.Count > 0
            ? [.. chain.Select(n => _models.First(m => m.Name == n))]
            : _models;

    public async Task<LlmResult> CompleteAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var user = call.UserMessage;
        var key = InMemoryLlmResponseCache.KeyFor(call.Task, call.Prompt, user);
        var task = new KeyValuePair<string, object?>("task", call.Task);
        if (_cache.TryGet(key, out var cached))
        {
            LlmTelemetry.Cache.Add(1, task, new KeyValuePair<string, object?>("result", "hit"));
            UsageRecorder.Current?.AddLlm(cached.Model, 0, 0, cached: true);
            return new LlmResult(cached.Text, cached.Model, call.Prompt.Ref, Cached: true, null);
        }
        LlmTelemetry.Cache.Add(1, task, new KeyValuePair<string, object?>("result", "miss"));

        List<ChatMessage> messages = [new(ChatRole.System, call.Prompt.System), new(ChatRole.User, user)];
        string failure = "no_model";
        foreach (var model in RouteFor(call.Task))
        {
            var (text, reason, responseModel) = await AttemptAsync(model, call, messages, cancellationToken).ConfigureAwait(false);
            if (text is not null)
            {
                _cache.Set(key, new CachedAnswer(text, model.Name));
                return new LlmResult(text, model.Name, call.Prompt.Ref, Cached: false, null, responseModel);
            }
            failure = reason!;
            LogFallback(call.Task, model.Name, reason!);
        }
        return new LlmResult(null, null, call.Prompt.Ref, Cached: false, failure);
    }

    private async Task<(string? Text, string? Reason, string? ResponseModel)> AttemptAsync(LlmModel model, LlmCall call, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        using var span = LlmTelemetry.StartCall(call.Task, model.Name, call.Prompt.Id, call.Prompt.Ref.Version);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(call.Timeout);
        try
        {
            var response = await model.Client.GetResponseAsync(messages, call.Options.Clone(), timeout.Token).ConfigureAwait(false);
            long input = response.Usage?.InputTokenCount ?? 0, output = response.Usage?.OutputTokenCount ?? 0;
            Meter(call.Task, model.Name, input, output, span);
            span?.SetTag("gen_ai.response.model", response.ModelId);
            var text = response.Text?.Trim() ?? "";
            if (text.Length == 0 || (call.Accept is { } accept && !accept(text)))
            {
                outcome = "unusable";
                span?.SetStatus(ActivityStatusCode.Error, "unusable answer");
                return (null, "malformed_answer", response.ModelId);
            }
            return (text, null, response.ModelId);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            span?.SetStatus(ActivityStatusCode.Error, "timeout");
            return (null, "timeout", null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome = "error";
            span.Fail(e);
            return (null, "error:" + e.GetType().Name, null);
        }
        finally
        {
            LlmTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("model", model.Name),
                new KeyValuePair<string, object?>("task", call.Task), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private void Meter(string task, string model, long input, long output, Activity? span)
    {
        span?.SetTag("gen_ai.usage.input_tokens", input);
        span?.SetTag("gen_ai.usage.output_tokens", output);
        LlmTelemetry.RecordTokens(task, model, input, output);
        var usage = UsageRecorder.Current;
        usage?.AddLlm(model, input, output, cached: false);
        if (usage?.Subject is { } subject)
        {
            _ledger?.Record(subject, input + output);
        }
    }

    [LoggerMessage(LogLevel.Warning, "LLM task {Task}: model {Model} gave no usable answer ({Reason}); trying the next one if any")]
    private partial void LogFallback(string task, string model, string reason);
}
