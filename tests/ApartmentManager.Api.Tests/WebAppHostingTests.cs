using System.Net;
using System.Net.Http.Headers;
using ApartmentManager.SingleNode.Security;

namespace ApartmentManager.Api.Tests;

/// <summary>The single-node host serves the web app at "/" and its development sign-in (POST /dev/token).</summary>
public sealed class WebAppHostingTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task The_web_app_is_served_at_the_root_under_a_content_security_policy()
    {
        using var client = Host.Client();
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<main id=\"main\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var script = await client.GetAsync("/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());

        // The API and its reference are where they were.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Dev_sign_in_on_loopback_hands_out_a_token_the_api_accepts()
    {
        using var client = Host.Client();
        var answer = await client.PostAsync(DevSignInEndpoint.Path, Json.Body(new { subject = "resident-77", role = "resident" }));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl!.ToString());
        var body = await answer.ReadAsync();
        Assert.Equal("resident-77", body["subject"]!.GetValue<string>());
        Assert.Equal("resident", body["role"]!.GetValue<string>());

        using var resident = Host.Client();
        resident.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync("/api/v1/residents/resident-77/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync("/api/v1/residents/resident-78/requests")).StatusCode);
    }

    [Fact]
    public async Task Dev_sign_in_refuses_a_bad_role_or_id_with_a_message_per_field()
    {
        using var client = Host.Client();
        var answer = await client.PostAsync(DevSignInEndpoint.Path, Json.Body(new { subject = "not valid!", role = "owner" }));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        var errors = (await answer.ReadAsync())["errors"]!.AsObject();
        Assert.Contains("subject", errors.Select(e => e.Key));
        Assert.Contains("role", errors.Select(e => e.Key));
    }

    [Fact]
    public async Task Dev_sign_in_is_absent_when_configuration_turns_it_off()
    {
        await using var host = await SingleNodeHost.StartAsync(null, "--Workflow:Engine", "none", "--DevSignIn:Enabled", "false");
        using var client = host.Client();
        var answer = await client.PostAsync(DevSignInEndpoint.Path, Json.Body(new { subject = "manager-1", role = "admin" }));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:7071", true)]
    [InlineData("http://127.0.0.2:80", true)]
    [InlineData("http://0.0.0.0:7071", false)]
    [InlineData("http://*:7071", false)]
    [InlineData("http://+:7071", false)]
    [InlineData("http://192.168.1.20:7071", false)]
    [InlineData("http://[::]:7071", false)]
    public void Default_is_on_only_when_every_listen_address_is_loopback(string address, bool enabled)
    {
        Assert.Equal(enabled, DevSignInEndpoint.IsEnabled(new DevSignInOptions(), [address]));
        Assert.Equal(enabled, DevSignInEndpoint.IsEnabled(new DevSignInOptions(), [address, "http://127.0.0.1:1"]));
        Assert.False(DevSignInEndpoint.IsEnabled(new DevSignInOptions(), [address, "http://10.0.0.4:80"]));
        Assert.True(DevSignInEndpoint.IsEnabled(new DevSignInOptions { Enabled = true }, [address]));
        Assert.False(DevSignInEndpoint.IsEnabled(new DevSignInOptions { Enabled = false }, [address]));
    }
}
