using System.Security.Claims;
using System.Text.Json;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Requests;
using ApartmentManager.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Tests;

public sealed class HttpMiddlewareTests
{
    /// <summary>
    /// The header as App Service sends it: name_typ and role_typ are the long WS-* claim type URIs, but the app roles
    /// arrive as claims of type <c>roles</c> (the token's own claim name), spelled as in the app registration.
    /// </summary>
    private static string PrincipalHeader(string subject, params string[] roles)
    {
        var claims = new List<object>
        {
            new { typ = "aud", val = "api://apartment-manager" },
            new { typ = ClaimTypes.NameIdentifier, val = subject },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "00000000-0000-0000-0000-000000000042" },
            new { typ = "name", val = "Pat" },
        };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var payload = new { auth_typ = "aad", claims, name_typ = ClaimTypes.Name, role_typ = ClaimTypes.Role };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(payload));
    }

    [Theory]
    [InlineData("Admin", true, false)]
    [InlineData("admin", true, false)]
    [InlineData("Resident", false, true)]
    [InlineData("RESIDENT", false, true)]
    public async Task App_roles_arrive_as_roles_claims_and_match_whatever_their_case(string role, bool admin, bool resident)
    {
        var http = await InvokeEasyAuthAsync(enabled: true, PrincipalHeader("user-7", role));

        var caller = Caller.From(http.User);
        Assert.NotNull(caller);
        Assert.Equal((admin, resident), (caller.IsAdmin, caller.IsResident));
    }

    [Fact]
    public async Task A_token_with_no_role_is_403_and_never_a_resident()
    {
        var http = await InvokeEasyAuthAsync(enabled: true, PrincipalHeader("user-8", "Manager"));
        http.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        var ran = false;

        var result = await ApiHandler.Run(http, _ => { ran = true; return Task.FromResult(Results.Ok()); });
        http.Response.Body = new MemoryStream();
        await result.ExecuteAsync(http);

        Assert.False(ran);
        Assert.Equal(403, http.Response.StatusCode);
        Assert.False(Caller.From(http.User)!.IsResident);
    }

    private static async Task<HttpContext> InvokeEasyAuthAsync(bool enabled, string? header)
    {
        var http = new DefaultHttpContext();
        if (header is not null)
        {
            http.Request.Headers[EasyAuthPrincipalMiddleware.PrincipalHeader] = header;
        }
        var context = FunctionsTestHost.FunctionContextFor(new ServiceCollection().BuildServiceProvider(), http);
        var middleware = new EasyAuthPrincipalMiddleware(Options.Create(new EasyAuthOptions { Enabled = enabled }));
        var nextCalled = false;
        await middleware.Invoke(context.Object, _ =>
        {
            nextCalled = true;
            return Task.CompletedTask;
        });
        Assert.True(nextCalled);
        return http;
    }

    [Fact]
    public async Task The_platform_principal_becomes_the_caller_with_its_roles()
    {
        var http = await InvokeEasyAuthAsync(enabled: true, PrincipalHeader("res-5", "resident"));

        var caller = Caller.From(http.User);
        Assert.NotNull(caller);
        Assert.Equal("res-5", caller.Subject);
        Assert.True(caller.IsResident);
        Assert.False(caller.IsAdmin);
    }

    [Fact]
    public async Task The_header_is_ignored_unless_platform_authentication_is_declared()
    {
        var http = await InvokeEasyAuthAsync(enabled: false, PrincipalHeader("intruder", "admin"));

        Assert.Null(Caller.From(http.User));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("eyJub3QiOiJhIHByaW5jaXBhbCJ9")] // {"not":"a principal"}
    public async Task A_malformed_header_leaves_the_caller_anonymous_with_a_reason(string header)
    {
        var http = await InvokeEasyAuthAsync(enabled: true, header);

        Assert.Null(Caller.From(http.User));
        Assert.Equal("MalformedClientPrincipal", http.Items[ApiHandler.AuthErrorItem]);
    }

    [Fact]
    public async Task Correlation_id_is_echoed_when_sane_and_replaced_when_not()
    {
        var middleware = new HttpCorrelationMiddleware(NullLogger<HttpCorrelationMiddleware>.Instance);
        var services = new ServiceCollection().BuildServiceProvider();

        var sane = new DefaultHttpContext();
        sane.Request.Headers[CorrelationId.Header] = "abc-123";
        await middleware.Invoke(FunctionsTestHost.FunctionContextFor(services, sane).Object, _ => Task.CompletedTask);
        Assert.Equal("abc-123", sane.Response.Headers[CorrelationId.Header].ToString());

        var forged = new DefaultHttpContext();
        forged.Request.Headers[CorrelationId.Header] = "line\nbreak";
        await middleware.Invoke(FunctionsTestHost.FunctionContextFor(services, forged).Object, _ => Task.CompletedTask);
        var replaced = forged.Response.Headers[CorrelationId.Header].ToString();
        Assert.Equal(32, replaced.Length);
        Assert.Equal(replaced, CorrelationId.Get(forged));
    }

    [Fact]
    public async Task Non_http_invocations_pass_straight_through()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var calls = 0;
        await new HttpCorrelationMiddleware(NullLogger<HttpCorrelationMiddleware>.Instance)
            .Invoke(FunctionsTestHost.FunctionContextFor(services).Object, _ => Task.FromResult(++calls));
        await new EasyAuthPrincipalMiddleware(Options.Create(new EasyAuthOptions { Enabled = true }))
            .Invoke(FunctionsTestHost.FunctionContextFor(services).Object, _ => Task.FromResult(++calls));
        Assert.Equal(2, calls);
    }
}
