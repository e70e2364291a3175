using ApartmentManager.Domain;
using ApartmentManager.Observability.Usage;
using Microsoft.Extensions.AI;

namespace ApartmentManager.Llm.Tests;

public sealed class LlmRouterTests
{
    private static readonly PromptTemplate Prompt = PromptCatalog.Default.Get("classification");

    private static LlmCall Call(string message, Func<string, bool>? accept = null) => new(LlmTasks.Classification, Prompt,
        new Dictionary<string, string> { ["message"] = message }, new ChatOptions(), TimeSpan.FromSeconds(5), accept);

    private static LlmRouter Router(LlmOptions options, InMemoryLlmResponseCache? cache = null, ILlmTokenLedger? ledger = null, params LlmModel[] models) =>
        new(models, options, cache ?? new InMemoryLlmResponseCache(100, TimeSpan.FromHours(1), TimeProvider.System), ledger);

    [Fact]
    public async Task A_failing_model_falls_back_to_the_next_one_of_the_route()
    {
        var primary = new ScriptedChat(_ => throw new HttpRequestException("503"));
        var secondary = new ScriptedChat(_ => "ok answer", input: 40, output: 7);
        var router = Router(new LlmOptions(), null, null, new LlmModel("primary", primary), new LlmModel("secondary", secondary));

        var result = await router.CompleteAsync(Call("the sink leaks"), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("secondary", result.Model);
        Assert.Equal(new PromptRef("classification", "1"), result.Prompt);
        Assert.Equal(1, primary.Calls);
        Assert.Equal(1, secondary.Calls);
    }

    [Fact]
    public async Task Routes_are_per_task_and_an_unusable_answer_tries_the_next_model()
    {
        var a = new ScriptedChat(_ => "not json");
        var b = new ScriptedChat(_ => "{\"ok\":true}");
        var options = new LlmOptions { Routes = { [LlmTasks.Classification] = ["b", "a"], [LlmTasks.OptionDescription] = ["a"] } };
        var router = Router(options, null, null, new LlmModel("a", a), new LlmModel("b", b));

        var classified = await router.CompleteAsync(Call("x", t => t.StartsWith('{')), CancellationToken.None);
        Assert.Equal("b", classified.Model);
        Assert.Equal(0, a.Calls);

        var unusable = await router.CompleteAsync(Call("y", t => t.StartsWith('[')), CancellationToken.None);
        Assert.False(unusable.Succeeded);
        Assert.Equal("malformed_answer", unusable.FailureReason);
        Assert.Equal(1, a.Calls); // both models tried, in the route's order
        Assert.Equal(2, b.Calls);
    }

    [Fact]
    public void A_route_naming_an_unknown_model_is_refused_at_start()
    {
        var options = new LlmOptions { Routes = { [LlmTasks.Classification] = ["missing"] } };
        var e = Assert.Throws<InvalidOperationException>(() => Router(options, null, null, new LlmModel("a", new ScriptedChat(_ => "x"))));
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_answers_the_same_normalised_input_and_prompt_version_without_a_call()
    {
        var chat = new ScriptedChat(_ => "answer", input: 100, output: 10);
        var router = Router(new LlmOptions(), null, null, new LlmModel("m", chat));

        var first = await router.CompleteAsync(Call("The  sink\tLEAKS "), CancellationToken.None);
        var second = await router.CompleteAsync(Call("the sink leaks"), CancellationToken.None);
        var other = await router.CompleteAsync(Call("the sink drips"), CancellationToken.None);

        Assert.False(first.Cached);
        Assert.True(second.Cached);
        Assert.Equal(first.Text, second.Text);
        Assert.False(other.Cached);
        Assert.Equal(2, chat.Calls);
    }

    [Fact]
    public void The_cache_key_changes_with_the_prompt_version()
    {
        var v1 = Prompt;
        var v2 = v1 with { Version = 2 };
        Assert.NotEqual(InMemoryLlmResponseCache.KeyFor(LlmTasks.Classification, v1, "x"), InMemoryLlmResponseCache.KeyFor(LlmTasks.Classification, v2, "x"));
        Assert.Equal(InMemoryLlmResponseCache.KeyFor(LlmTasks.Classification, v1, "Ｘ  "), InMemoryLlmResponseCache.KeyFor(LlmTasks.Classification, v1, "x"));
    }

    [Fact]
    public void The_cache_drops_the_oldest_entry_when_full_and_expired_entries()
    {
        var clock = new ManualClock();
        var cache = new InMemoryLlmResponseCache(2, TimeSpan.FromMinutes(10), clock);
        cache.Set("a", new CachedAnswer("1", "m"));
        cache.Set("b", new CachedAnswer("2", "m"));
        cache.Set("c", new CachedAnswer("3", "m"));
        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out var c));
        Assert.Equal("3", c.Text);
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(cache.TryGet("c", out _));
    }

    [Fact]
    public async Task Tokens_go_to_the_request_usage_and_the_subjects_daily_ledger_cache_hits_count_no_tokens()
    {
        var ledger = new InMemoryLlmTokenLedger(TimeProvider.System);
        var router = Router(new LlmOptions(), null, ledger, new LlmModel("gpt-a", new ScriptedChat(_ => "answer", input: 120, output: 30)));

        RequestUsage usage;
        using (var scope = UsageRecorder.Begin("req-1", "resident-7"))
        {
            await router.CompleteAsync(Call("a"), CancellationToken.None);
            await router.CompleteAsync(Call("a"), CancellationToken.None); // cached
            await router.CompleteAsync(Call("b"), CancellationToken.None);
            usage = scope.Recorder.Snapshot();
        }

        var model = Assert.Single(usage.Llm);
        Assert.Equal(new ModelTokenUsage("gpt-a", 240, 60, 3, 1), model);
        Assert.Equal(300, ledger.Used("resident-7", DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.Equal(0, ledger.Used("resident-8", DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.Null(UsageRecorder.Current);
    }

    [Fact]
    public async Task A_timeout_is_a_failure_reason_but_the_callers_cancellation_is_not_swallowed()
    {
        var slow = new ScriptedChat(_ => "late", delay: TimeSpan.FromSeconds(30));
        var router = Router(new LlmOptions(), null, null, new LlmModel("slow", slow));
        var call = Call("x") with { Timeout = TimeSpan.FromMilliseconds(50) };
        Assert.Equal("timeout", (await router.CompleteAsync(call, CancellationToken.None)).FailureReason);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.CompleteAsync(Call("y"), cancelled.Token));
    }
}

internal sealed class ScriptedChat(Func<string, string> reply, long input = 0, long output = 0, TimeSpan? delay = null) : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (delay is { } d)
        {
            await Task.Delay(d, cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(messages.Last().Text)))
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
