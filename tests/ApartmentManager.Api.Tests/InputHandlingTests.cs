using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ApartmentManager.Api.Tests;

/// <summary>Malformed, oversized and hostile input gets a clear 4xx problem, never a 5xx.</summary>
public sealed class InputHandlingTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task No_token_or_a_bad_token_is_401()
    {
        using var anonymous = Host.Client();
        var none = await anonymous.CreateAsync();
        await none.AssertProblemAsync(401);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        await (await anonymous.GetAsync("/api/v1/requests/req_x")).AssertProblemAsync(401);

        // Signed by someone else's key (another data directory).
        await using var other = await SingleNodeHost.StartAsync();
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Token("mallory", "admin"));
        var forged = await (await anonymous.GetAsync("/api/v1/requests")).AssertProblemAsync(401);
        Assert.Contains("refused", forged["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"building\":\"b\",\"unit\":\"1\",\"message\":")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"building\":{\"nested\":true},\"unit\":\"1\",\"message\":\"m\"}")]
    [InlineData("\u00ff\u00fe garbage")]
    public async Task Malformed_json_is_400(string body)
    {
        using var resident = Host.Client("res-malformed");
        var response = await resident.PostAsync("/api/v1/requests", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Missing_and_overlong_fields_are_400_with_field_errors()
    {
        using var resident = Host.Client("res-fields");
        var empty = await (await resident.PostAsync("/api/v1/requests", Json.Body(new { message = "  " }))).AssertProblemAsync(400);
        Assert.NotNull(empty["errors"]!["building"]);
        Assert.NotNull(empty["errors"]!["unit"]);
        Assert.NotNull(empty["errors"]!["message"]);

        var longMessage = await (await resident.CreateAsync(message: new string('a', 4001))).AssertProblemAsync(400);
        Assert.Contains("4000", longMessage["errors"]!["message"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await resident.CreateAsync(message: new string('a', 4000))).StatusCode);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        using var resident = Host.Client("res-unknown");
        var response = await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building = "b", unit = "1", message = "drip", residentId = "someone-else", status = "resolved", extra = new[] { 1 } }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadAsync();
        Assert.Equal("res-unknown", body["residentId"]!.GetValue<string>());
        Assert.Equal("received", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bodies_over_64_kb_are_413_whether_declared_or_chunked()
    {
        using var resident = Host.Client("res-big");
        var big = "{\"building\":\"b\",\"unit\":\"1\",\"message\":\"" + new string('x', 70_000) + "\"}";

        var declared = await resident.PostAsync("/api/v1/requests", new StringContent(big, Encoding.UTF8, "application/json"));
        await declared.AssertProblemAsync(413);

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/requests") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await resident.SendAsync(request)).AssertProblemAsync(413);

        // Far beyond even the server's hard limit: a client that asks first (Expect: 100-continue) gets the problem
        // before sending a byte of it. (One that does not may see the connection closed mid-upload, as HTTP allows.)
        var huge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/requests")
        {
            Content = new StringContent(new string('x', 2 * 1024 * 1024), Encoding.UTF8, "application/json"),
        };
        huge.Headers.ExpectContinue = true;
        await (await resident.SendAsync(huge)).AssertProblemAsync(413);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task Wrong_content_type_is_415(string? contentType)
    {
        using var resident = Host.Client("res-ctype");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"building\":\"b\",\"unit\":\"1\",\"message\":\"m\"}"));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        await (await resident.PostAsync("/api/v1/requests", content)).AssertProblemAsync(415);
    }

    [Theory]
    [InlineData("/api/v1/requests/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/requests/%27%20OR%201%3D1%20--")]
    [InlineData("/api/v1/requests/" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/api/v1/requests/%F0%9F%92%A9")]
    [InlineData("/api/v1/nothing-here")]
    public async Task Hostile_or_unknown_paths_are_404_problems(string path)
    {
        using var admin = Host.Admin();
        await (await admin.GetAsync(path)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        using var admin = Host.Admin();
        await (await admin.DeleteAsync("/api/v1/requests")).AssertProblemAsync(405);
    }

    [Fact]
    public async Task Admin_cannot_create_requests_for_residents()
    {
        using var admin = Host.Admin();
        await (await admin.CreateAsync()).AssertProblemAsync(403);
    }

    [Fact]
    public async Task Control_characters_and_overlong_idempotency_keys_are_refused()
    {
        using var resident = Host.Client("res-key");
        await (await resident.CreateAsync(idempotencyKey: new string('k', 256))).AssertProblemAsync(400);
        await (await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "b\u0007", unit = "1", message = "m" }))).AssertProblemAsync(400);
    }

    [Fact]
    public async Task A_notification_longer_than_the_gateways_take_is_400_not_500()
    {
        using var resident = Host.Client("res-notify-long");
        var id = await resident.CreateIdAsync();
        using var admin = Host.Admin();

        var tooLong = await (await admin.PostAsync("/api/v1/notify", Json.Body(new { requestId = id, subject = "Update", message = new string('a', 2001) })))
            .AssertProblemAsync(400);
        Assert.Contains("2000", tooLong["errors"]!["message"]![0]!.GetValue<string>());
        var justRight = await admin.PostAsync("/api/v1/notify", Json.Body(new { requestId = id, subject = "Update", message = new string('a', 2000) }));
        Assert.True(justRight.IsSuccessStatusCode, $"2000 characters: {(int)justRight.StatusCode}");
    }
}
