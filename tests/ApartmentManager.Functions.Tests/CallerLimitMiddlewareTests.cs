using System.Security.Claims;
using System.Text.Json.Nodes;
using ApartmentManager.Api.Http;
using ApartmentManager.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The per-caller limits API Management does not enforce, in the Functions app: writes and agent calls counted per
/// subject and per client address by the worker middleware (the same limiter as single node), refused with 429
/// problem+json and Retry-After before the function runs; and the residents' caps bound from configuration.
/// </summary>
public sealed class CallerLimitMiddlewareTests
{
    private static readonly CallerLimitOptions Small = new()
    {
        WritesPerMinutePerSubject = 3,
        WritesPerMinutePerAddress = 5,
        AgentCallsPerMinutePerSubject = 2,
        AgentCallsPerMinutePerAddress = 100,
    };

    private static ClaimsPrincipal Resident(string subject) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("roles", "resident")], "aad"));

    /// <summary>One HTTP invocation of <paramref name="function"/> through the middleware: whether the function ran, and the response.</summary>
    private static async Task<(bool Ran, HttpContext Http)> InvokeAsync(CallerLimitMiddleware middleware, string function, string method, string path,
        string subject, string address = "203.0.113.7")
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var http = FunctionsTestHost.NewHttp(services, method, path, user: Resident(subject),
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = $"{address}:50123, 10.0.0.4" });
        http.Response.Body = new MemoryStream();
        var context = FunctionsTestHost.FunctionContextFor(services, http);
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(function);
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        var ran = false;
        await middleware.Invoke(context.Object, _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        return (ran, http);
    }

    [Fact]
    public async Task A_subject_past_its_write_limit_gets_429_problem_json_with_retry_after_and_the_function_does_not_run()
    {
        using var middleware = new CallerLimitMiddleware(Options.Create(Small));

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-1")).Ran);
        }
        var (ran, http) = await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-1");

        Assert.False(ran);
        Assert.Equal(429, http.Response.StatusCode);
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        Assert.InRange(int.Parse(http.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        http.Response.Body.Position = 0;
        var problem = JsonNode.Parse(http.Response.Body)!;
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Contains("Too many calls", problem["detail"]!.GetValue<string>());
        // Another resident (another address) is not affected.
        Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-2", "198.51.100.9")).Ran);
    }

    [Fact]
    public async Task Many_subjects_behind_one_client_address_add_up_to_the_address_limit()
    {
        using var middleware = new CallerLimitMiddleware(Options.Create(Small));

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", $"res-{i}")).Ran);
        }

        Assert.False((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-new")).Ran);
        Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-new", "198.51.100.10")).Ran);
    }

    [Fact]
    public async Task Agent_functions_count_against_the_agent_limit_and_reads_are_not_limited()
    {
        using var middleware = new CallerLimitMiddleware(Options.Create(Small));

        Assert.True((await InvokeAsync(middleware, "AgentSimulate", "POST", "/api/v1/simulate", "res-1")).Ran);
        Assert.True((await InvokeAsync(middleware, "AgentClassify", "POST", "/api/v1/classify", "res-1")).Ran);
        Assert.False((await InvokeAsync(middleware, "AgentDecide", "POST", "/api/v1/decide", "res-1")).Ran);
        // Writes have their own count; reads none.
        Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-1")).Ran);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await InvokeAsync(middleware, "GetRequest", "GET", "/api/v1/requests/r1", "res-1")).Ran);
        }
    }

    [Fact]
    public async Task Disabled_limits_let_everything_through()
    {
        using var middleware = new CallerLimitMiddleware(Options.Create(new CallerLimitOptions { Enabled = false, WritesPerMinutePerSubject = 1 }));

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await InvokeAsync(middleware, "CreateRequest", "POST", "/api/v1/requests", "res-1")).Ran);
        }
    }

    [Fact]
    public void The_app_binds_the_limits_and_the_residents_caps_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CosmosDb:AccountEndpoint"] = "https://example.documents.azure.com:443/",
            ["Limits:ResidentMaxSimulationRuns"] = "1500",
            ["Limits:ResidentMaxBatchSize"] = "4",
            ["Limits:WritesPerMinutePerSubject"] = "7",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddApartmentManagerFunctions(configuration);
        using var provider = services.BuildServiceProvider();

        var limits = provider.GetRequiredService<IOptions<CallerLimitOptions>>().Value;

        Assert.Equal((1500, 4, 7), (limits.ResidentMaxSimulationRuns, limits.ResidentMaxBatchSize, limits.WritesPerMinutePerSubject));
        Assert.Same(provider.GetRequiredService<CallerLimitMiddleware>(), provider.GetRequiredService<CallerLimitMiddleware>());
    }

    [Theory]
    [InlineData("203.0.113.7:50123, 10.0.0.4", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("not an address", null)]
    public void The_client_address_is_the_first_forwarded_one(string forwarded, string? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers["X-Forwarded-For"] = forwarded;

        Assert.Equal(expected, CallerLimitMiddleware.ClientAddress(http));
    }
}
