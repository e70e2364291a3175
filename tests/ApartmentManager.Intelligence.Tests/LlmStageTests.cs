using ApartmentManager.Adapters.AzureOpenAI;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Llm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>The Azure OpenAI adapter against a real loopback chat-completions server, through the classifier.</summary>
[Collection(nameof(ModelsCollection))]
public sealed class LlmStageTests(Models models)
{
    private const string Message = "Something is off in my place, not sure who to ask. Reach me at jane@example.com or 555-123-4567.";

    private RequestClassifier Classifier(LoopbackChatServer server, int maxRetries = 2, int llmTimeoutSeconds = 20, LlmTokenBudget? budget = null)
    {
        var chat = AzureOpenAIServiceCollectionExtensions.CreateChatClient(new AzureOpenAIOptions
        {
            Endpoint = server.Endpoint,
            Deployment = "gpt-test",
            ApiKey = "test-key",
            MaxRetries = maxRetries,
            BaseRetryDelaySeconds = 0.05,
            TimeoutSeconds = 30,
        });
        // Threshold 1.0: every answer below full confidence goes to the LLM, so each test exercises the stage.
        var options = new IntelligenceOptions { LlmConfidenceThreshold = 1.0, LlmTimeoutSeconds = llmTimeoutSeconds };
        return new RequestClassifier(models.TextModel, Options.Create(options), new LlmClassificationStage(chat, NullLogger<LlmClassificationStage>.Instance),
            budget: budget);
    }

    [Fact]
    public async Task Success_uses_the_llm_answer_and_sends_a_redacted_schema_request()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Answer("structural", "normal"));
        var c = await Classifier(server).ClassifyAsync(Message);
        Assert.Equal("llm", c.Stage);
        Assert.Equal(Category.Structural, c.Category);
        Assert.Equal(Urgency.Normal, c.Urgency);
        Assert.Equal(0.93, c.Confidence, 3);
        Assert.Contains("llm:gpt-test", c.ModelVersion);
        var body = Assert.Single(server.Requests).Body;
        Assert.Contains("json_schema", body);
        Assert.Contains("[EMAIL]", body);
        Assert.Contains("[PHONE]", body);
        Assert.DoesNotContain("jane@example.com", body);
        Assert.DoesNotContain("555-123-4567", body);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_retry_after_delay()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Status(429, retryAfter: "1")).Then(LoopbackChatServer.Answer("pest", "high"));
        var c = await Classifier(server).ClassifyAsync(Message);
        Assert.Equal("llm", c.Stage);
        Assert.Equal(Category.Pest, c.Category);
        var times = server.Requests.Select(r => r.At).ToArray();
        Assert.Equal(2, times.Length);
        // Honouring Retry-After means the retry cannot arrive before the server's second has passed.
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"retry came after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Server_errors_are_retried_then_the_classifier_falls_back()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Status(500));
        var c = await Classifier(server, maxRetries: 2).ClassifyAsync(Message);
        Assert.NotEqual("llm", c.Stage);
        Assert.Contains(c.Evidence, e => e.StartsWith("llm_fallback:error", StringComparison.Ordinal));
        Assert.Equal(3, server.Requests.Count); // first try + 2 retries
    }

    [Fact]
    public async Task A_transient_500_then_success_recovers()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Status(503)).Then(LoopbackChatServer.Answer("lease", "low"));
        var c = await Classifier(server).ClassifyAsync(Message);
        Assert.Equal("llm", c.Stage);
        Assert.Equal(Category.Lease, c.Category);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Timeout_falls_back()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Delay(TimeSpan.FromSeconds(30)));
        var c = await Classifier(server, maxRetries: 0, llmTimeoutSeconds: 1).ClassifyAsync(Message);
        Assert.NotEqual("llm", c.Stage);
        Assert.Contains("llm_fallback:timeout", c.Evidence);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"category\":\"roof\",\"urgency\":\"low\",\"confidence\":0.9,\"secondary_categories\":[]}")]
    [InlineData("{\"category\":\"plumbing\",\"urgency\":\"whenever\",\"confidence\":0.9,\"secondary_categories\":[]}")]
    [InlineData("{\"category\":\"plumbing\",\"urgency\":\"low\",\"confidence\":7,\"secondary_categories\":[]}")]
    [InlineData("")]
    public async Task Malformed_answers_fall_back(string content)
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(ctx => LoopbackChatServer.Completion(ctx, content));
        var c = await Classifier(server).ClassifyAsync(Message);
        Assert.NotEqual("llm", c.Stage);
        Assert.Contains(c.Evidence, e => e.StartsWith("llm_fallback:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_llm_cannot_lower_an_emergency_cue()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Answer("plumbing", "low"));
        var c = await Classifier(server).ClassifyAsync("not sure, I think I smell gas near the stove");
        Assert.Equal("llm", c.Stage);
        Assert.Equal(Urgency.Emergency, c.Urgency);
    }

    [Fact]
    public async Task An_llm_urgency_other_than_the_rules_is_marked_for_a_manager()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Answer("plumbing", "low"));
        var c = await Classifier(server).ClassifyAsync("not sure, I think I smell gas near the stove");
        Assert.Contains(c.Evidence, e => e == $"{ClassificationEvidence.UrgencyDisagreement}:llm=low,rules=emergency");
    }

    [Fact]
    public async Task Over_its_daily_token_budget_a_subject_gets_the_non_llm_answer()
    {
        await using var server = await LoopbackChatServer.StartAsync();
        server.Then(LoopbackChatServer.Answer("structural", "normal")).Then(LoopbackChatServer.Answer("structural", "normal"));
        var budget = new LlmTokenBudget(Options.Create(new LlmBudgetOptions { DailyTokensPerSubject = 1000, EstimatedTokensPerCall = 700 }), TimeProvider.System);
        var classifier = Classifier(server, budget: budget);

        using (LlmCaller.Begin("res-budget"))
        {
            Assert.Equal("llm", (await classifier.ClassifyAsync(Message)).Stage);
            var second = await classifier.ClassifyAsync(Message); // 700 + 700 > 1000
            Assert.NotEqual("llm", second.Stage);
            Assert.Contains("llm_skipped:budget", second.Evidence);
        }
        Assert.Single(server.Requests);
        Assert.Equal(700, budget.SpentToday("res-budget"));

        using (LlmCaller.Begin("res-other"))
        {
            Assert.Equal("llm", (await classifier.ClassifyAsync(Message)).Stage); // a budget is per subject
        }
    }

    [Fact]
    public async Task Without_a_configured_endpoint_no_chat_client_is_registered()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        services.AddAzureOpenAIChatClient(config);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(Microsoft.Extensions.AI.IChatClient));
        await Task.CompletedTask;
    }
}
