using System.Net;

namespace ApartmentManager.Api.Tests;

/// <summary>Per-caller limits: per subject and per address rate limits (429 + Retry-After, problem+json) and residents' caps.</summary>
public sealed class CallerLimitTests
{
    [Fact]
    public async Task Writes_are_limited_per_subject_with_a_429_problem_and_retry_after()
    {
        await using var host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none",
            "--Limits:Enabled", "true", "--Limits:WritesPerMinutePerSubject", "3");
        using var resident = host.Client("res-limit-a");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await resident.CreateAsync()).StatusCode);
        }
        var refused = await resident.CreateAsync();
        var problem = await refused.AssertProblemAsync(429);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Contains("try again", problem["detail"]!.GetValue<string>());

        // Another subject has its own allowance; reads are not writes.
        using var other = host.Client("res-limit-b");
        Assert.Equal(HttpStatusCode.Created, (await other.CreateAsync()).StatusCode);
        var id = await other.CreateIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/requests/{id}")).StatusCode);
    }

    [Fact]
    public async Task Writes_are_limited_per_address_across_subjects()
    {
        await using var host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none",
            "--Limits:Enabled", "true", "--Limits:WritesPerMinutePerAddress", "4");
        for (var i = 0; i < 4; i++)
        {
            using var resident = host.Client($"res-addr-{i}");
            Assert.Equal(HttpStatusCode.Created, (await resident.CreateAsync()).StatusCode);
        }
        using var fifth = host.Client("res-addr-5");
        await (await fifth.CreateAsync()).AssertProblemAsync(429);
    }

    [Fact]
    public async Task Agent_routes_have_their_own_limit_and_residents_their_caps()
    {
        await using var host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none",
            "--Limits:Enabled", "true", "--Limits:AgentCallsPerMinutePerSubject", "3", "--Limits:ResidentMaxBatchSize", "2");
        using var resident = host.Client("res-agent-limit");
        var batch = Json.Body(new { items = new[] { new { text = "leak" }, new { text = "noise" }, new { text = "mice" } } });
        var tooBig = await (await resident.PostAsync("/api/v1/classify", batch)).AssertProblemAsync(400);
        Assert.Contains("at most 2", tooBig["errors"]!["items"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await resident.PostAsync("/api/v1/classify", Json.Body(new { text = "the sink leaks" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await resident.PostAsync("/api/v1/classify", Json.Body(new { text = "the sink leaks" }))).StatusCode);
        await (await resident.PostAsync("/api/v1/classify", Json.Body(new { text = "the sink leaks" }))).AssertProblemAsync(429);

        using var admin = host.Admin();
        var adminBatch = Json.Body(new { items = new[] { new { text = "leak" }, new { text = "noise" }, new { text = "mice" } } });
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/classify", adminBatch)).StatusCode);
    }

    [Fact]
    public async Task Residents_may_not_ask_for_huge_simulations()
    {
        await using var host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none");
        using var resident = host.Client("res-sim-cap");
        var id = await resident.CreateIdAsync();
        var refused = await (await resident.PostAsync("/api/v1/simulate", Json.Body(new { requestId = id, runs = 200_000 }))).AssertProblemAsync(400);
        Assert.Contains("at most 5000", refused["errors"]!["runs"]![0]!.GetValue<string>());
    }
}
