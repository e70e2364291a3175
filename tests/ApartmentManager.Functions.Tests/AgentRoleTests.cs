using System.Reflection;
using System.Security.Claims;
using ApartmentManager.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using static ApartmentManager.Functions.Tests.FunctionsTestHost;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// Every agent route of the Functions app requires an app role: a token with none (here "Manager", a role the code
/// does not know) is 403 before the agent runs, and no principal is 401 — and neither builds a single service (the
/// invocation's services throw when asked). Found by reflection, so a new agent function is covered without editing
/// this test.
/// </summary>
public sealed class AgentRoleTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    public static TheoryData<string> AgentFunctionNames()
    {
        var names = new TheoryData<string>();
        foreach (var method in AgentMethods())
        {
            names.Add(method.GetCustomAttribute<FunctionAttribute>()!.Name);
        }
        return names;
    }

    private static IEnumerable<MethodInfo> AgentMethods() =>
        typeof(AgentFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    [Fact]
    public void The_agent_routes_are_all_found()
    {
        Assert.Equal(9, AgentMethods().Count());
    }

    [Theory]
    [MemberData(nameof(AgentFunctionNames))]
    public async Task An_agent_route_refuses_a_caller_without_a_role_with_403(string function)
    {
        var noRole = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-9"), new Claim("roles", "Manager")], "aad"));

        var (status, body) = await InvokeAsync(function, noRole);

        Assert.Equal(403, status);
        Assert.Contains("no role", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AgentFunctionNames))]
    public async Task An_agent_route_refuses_an_anonymous_caller_with_401(string function)
    {
        var (status, _) = await InvokeAsync(function, user: null);

        Assert.Equal(401, status);
    }

    private async Task<(int Status, string Body)> InvokeAsync(string function, ClaimsPrincipal? user)
    {
        var method = Assert.Single(AgentMethods(), m => m.GetCustomAttribute<FunctionAttribute>()!.Name == function);
        var route = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
        using var scope = host.Services.CreateScope();
        var http = NewHttp(scope.ServiceProvider, route.Methods![0].ToUpperInvariant(), "/api/" + route.Route!.Replace("{id}", "exe-1", StringComparison.Ordinal),
            route.Methods[0] == "post" ? new { text = "The heater is broken" } : null, user);
        // The role check comes first: an unauthorised call must not resolve (build) anything from the invocation's scope.
        var context = FunctionContextFor(new NothingResolves(function), http).Object;
        var arguments = method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => (object?)http.Request,
            var t when t == typeof(FunctionContext) => context,
            var t when t == typeof(CancellationToken) => CancellationToken.None,
            var t when t == typeof(string) => "exe-1",
            var t => throw new InvalidOperationException($"{function}: unexpected parameter type {t}."),
        }).ToArray();

        var result = await (Task<IResult>)method.Invoke(null, arguments)!;
        var body = await ExecuteAsync(result, http);
        return (http.Response.StatusCode, body?.ToJsonString() ?? "");
    }

    public void Dispose() => host.Dispose();

    private sealed class NothingResolves(string function) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            throw new InvalidOperationException($"{function} resolved {serviceType.Name} before checking the caller's role.");
    }
}
