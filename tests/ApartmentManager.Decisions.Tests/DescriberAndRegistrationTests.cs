using ApartmentManager.Decisions.Describing;
using ApartmentManager.Domain;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions.Tests;

public class DescriberAndRegistrationTests
{
    [Fact]
    public async Task Llm_descriptions_are_used_only_when_they_add_no_numbers()
    {
        var request = TestRequests.Make(Category.Hvac, Urgency.Normal, 0.3, RiskLevel.Low, "Heater is weak");
        var options = await new OptionSimulator(TestRequests.Options()).SimulateAsync(request);

        var honest = new ChatOptionDescriber(new ScriptedChat(_ => "We can help you with this quickly, and we will check back in with you."));
        var described = await honest.DescribeAsync(request, options);
        Assert.All(described, o => Assert.StartsWith("We can help", o.Description));
        Assert.Equal(options.Select(o => o.Simulation), described.Select(o => o.Simulation));

        var inventive = new ChatOptionDescriber(new ScriptedChat(_ => "Fixed within 1 hour guaranteed, only 9999 dollars!"));
        var kept = await inventive.DescribeAsync(request, options);
        Assert.Equal(options.Select(o => o.Description), kept.Select(o => o.Description));

        var broken = new ChatOptionDescriber(new ScriptedChat(_ => throw new HttpRequestException("LLM down")));
        Assert.Equal(options.Select(o => o.Description), (await broken.DescribeAsync(request, options)).Select(o => o.Description));
    }

    [Fact]
    public void Number_guard_accepts_reused_numbers_only()
    {
        Assert.True(ChatOptionDescriber.NumbersAreFrom("About 2.5 h, cost 1,200", "resolved in 2.5 h; cost 1200 (range 900–1500)"));
        Assert.False(ChatOptionDescriber.NumbersAreFrom("About 3 h", "resolved in 2.5 h"));
    }

    [Fact]
    public async Task AddDecisions_binds_the_Decision_section_and_works_without_llm_or_retriever()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Decision:PolicyVersion"] = "test-7",
            ["Decision:Sla:Emergency:OnSiteHours"] = "3",
            ["Decision:Weights:Version"] = "w-test",
            ["Decision:Simulation:Runs"] = "500",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddDecisions(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DecisionOptions>>().Value;
        Assert.Equal(3, options.Sla.Emergency.OnSiteHours);
        Assert.Equal(1, options.Sla.Emergency.ResponseHours);
        Assert.Equal(48, options.ResidentChoiceSlaHours);

        var request = TestRequests.Make(Category.Plumbing, Urgency.Normal, 0.2, RiskLevel.Low);
        var simulated = await provider.GetRequiredService<IOptionSimulator>().SimulateAsync(request);
        Assert.All(simulated, o => Assert.Equal(500, o.Simulation.Runs));
        var decision = provider.GetRequiredService<IDecisionPolicy>().Decide(request.WithOptions(simulated, request.UpdatedAt));
        Assert.Equal("test-7/w-test", decision.PolicyVersion);
    }

    [Fact]
    public void Invalid_weights_fail_at_resolution()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Decision:Weights:Safety"] = "-1",
        }).Build();
        using var provider = new ServiceCollection().AddDecisions(configuration).BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DecisionOptions>>().Value);
    }

    /// <summary>The LLM is an external service: a scripted stand-in at the IChatClient port.</summary>
    private sealed class ScriptedChat(Func<string, string> reply) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(messages.Last().Text))));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
