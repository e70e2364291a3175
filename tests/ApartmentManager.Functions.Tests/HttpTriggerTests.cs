using ApartmentManager.Application.Ports;
using ApartmentManager.Functions.Http;
using ApartmentManager.Workflow;
using static ApartmentManager.Functions.Tests.FunctionsTestHost;

namespace ApartmentManager.Functions.Tests;

public sealed class HttpTriggerTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    private static readonly object LeakBody = new { building = "maple-court", unit = "4B", message = "Water is pouring from under my kitchen sink" };

    [Fact]
    public async Task Create_answers_201_and_starts_the_orchestration_with_the_request_id_as_instance_id()
    {
        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests", LeakBody, Resident("res-17"));

        var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(201, http.Response.StatusCode);
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal("res-17", body["residentId"]!.GetValue<string>());
        Assert.Equal("received", body["status"]!.GetValue<string>());
        Assert.Equal($"/api/v1/requests/{id}", http.Response.Headers.Location.ToString());
        Assert.False(string.IsNullOrEmpty(http.Response.Headers.ETag.ToString()));
        Assert.Equal(new List<(string, string)> { (RequestWorkflow.Name, id) }, host.Scheduled);
        Assert.NotNull(await host.Store.GetAsync(id, "res-17"));
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_replays_and_never_schedules_twice()
    {
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "form-submit-42" };
        var ids = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (functions, scope) = host.Create<RequestFunctions>();
            using var _ = scope;
            var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests", LeakBody, Resident("res-17"), headers);
            var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);
            Assert.Equal(201, http.Response.StatusCode);
            Assert.Equal(attempt == 1 ? "true" : "", http.Response.Headers["Idempotent-Replayed"].ToString());
            ids.Add(body!["id"]!.GetValue<string>());
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.Single(host.Scheduled);
        Assert.Equal(ids[0], host.Scheduled[0].InstanceId);
    }

    [Fact]
    public async Task Without_a_principal_the_trigger_answers_401_problem_and_starts_nothing()
    {
        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests", LeakBody);

        var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
        Assert.Equal("/api/v1/requests", body["instance"]!.GetValue<string>());
        Assert.Empty(host.Scheduled);
    }

    [Fact]
    public async Task Invalid_body_is_a_400_problem_not_a_start()
    {
        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests", new { building = "", unit = "4B" }, Resident("res-1"));

        var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.NotNull(body!["errors"]!["building"]);
        Assert.NotNull(body["errors"]!["message"]);
        Assert.Empty(host.Scheduled);
    }

    [Fact]
    public async Task Get_shows_a_request_to_its_resident_and_hides_it_from_others()
    {
        var id = await CreateAsync("res-1");

        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var own = NewHttp(scope.ServiceProvider, "GET", $"/api/v1/requests/{id}", user: Resident("res-1"));
        var body = await ExecuteAsync(await functions.Get(own.Request, id, host.Client.Object, CancellationToken.None), own);
        Assert.Equal(200, own.Response.StatusCode);
        Assert.Equal(id, body!["id"]!.GetValue<string>());

        var other = NewHttp(scope.ServiceProvider, "GET", $"/api/v1/requests/{id}", user: Resident("res-2"));
        await ExecuteAsync(await functions.Get(other.Request, id, host.Client.Object, CancellationToken.None), other);
        Assert.Equal(404, other.Response.StatusCode);
    }

    [Fact]
    public async Task An_admin_escalation_raises_the_escalated_event_on_the_requests_instance()
    {
        var id = await CreateAsync("res-1");
        var etag = (await host.Store.GetAsync(id))!.ETag;

        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "PUT", $"/api/v1/requests/{id}", new { status = "escalated", note = "tenant called twice" },
            Admin(), new Dictionary<string, string> { ["If-Match"] = etag });
        var body = await ExecuteAsync(await functions.ChangeStatus(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("escalated", body!["status"]!.GetValue<string>());
        Assert.Equal(new List<(string, string, object?)> { (id, WorkflowEvents.Escalated, "tenant called twice") }, host.Raised);
    }

    [Fact]
    public async Task Selecting_an_unknown_option_is_a_4xx_and_raises_nothing()
    {
        var id = await CreateAsync("res-1");

        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", $"/api/v1/requests/{id}/select-option", new { optionId = "opt-x" }, Resident("res-1"));
        await ExecuteAsync(await functions.SelectOption(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.InRange(http.Response.StatusCode, 400, 499);
        Assert.Empty(host.Raised);
    }

    [Fact]
    public async Task Health_endpoints_answer_from_the_real_store()
    {
        var (functions, scope) = host.Create<HealthFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "GET", "/api/v1/health/ready");

        var body = await ExecuteAsync(await functions.Ready(http.Request, CancellationToken.None), http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("ready", body!["status"]!.GetValue<string>());
    }

    private async Task<string> CreateAsync(string resident)
    {
        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests", LeakBody, Resident(resident));
        var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);
        Assert.Equal(201, http.Response.StatusCode);
        return body!["id"]!.GetValue<string>();
    }

    public void Dispose() => host.Dispose();
}
