using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Api.Tests;

public sealed class RequestLifecycleTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task Resident_creates_a_request_and_reads_it_back()
    {
        using var resident = Host.Client("res-create");

        var created = await resident.CreateAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadAsync();
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/requests/{id}", created.Headers.Location!.OriginalString);
        Assert.NotNull(created.Headers.ETag);
        Assert.Equal("res-create", body["residentId"]!.GetValue<string>());
        Assert.Equal("received", body["status"]!.GetValue<string>());
        Assert.Equal("web", body["channel"]!.GetValue<string>());
        Assert.EndsWith("Z", body["createdAt"]!.GetValue<string>());
        Assert.Equal("created", body["history"]![0]!["event"]!.GetValue<string>());

        var read = await resident.GetAsync($"/api/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.Equal("The kitchen sink is leaking under the cabinet", (await read.ReadAsync())["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Channel_is_taken_from_the_body_and_validated()
    {
        using var resident = Host.Client("res-channel");

        var sms = await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "b", unit = "1", message = "hi", channel = "sms" }));
        var bad = await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "b", unit = "1", message = "hi", channel = "pigeon" }));

        Assert.Equal("sms", (await sms.ReadAsync())["channel"]!.GetValue<string>());
        var problem = await bad.AssertProblemAsync(400);
        Assert.NotNull(problem["errors"]!["channel"]);
    }

    [Fact]
    public async Task A_resident_cannot_reach_another_residents_request_by_id_list_or_resident_route()
    {
        using var alice = Host.Client("alice");
        using var bob = Host.Client("bob");
        var id = await alice.CreateIdAsync();

        (await (await bob.GetAsync($"/api/v1/requests/{id}")).AssertProblemAsync(404)).ToString();
        await (await bob.GetAsync("/api/v1/residents/alice/requests")).AssertProblemAsync(404);
        await (await bob.GetAsync("/api/v1/requests")).AssertProblemAsync(403);
        var select = await bob.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "x" }));
        await select.AssertProblemAsync(404);
        var resolve = await bob.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "done", rating = 5 }));
        await resolve.AssertProblemAsync(404);

        var own = await (await bob.GetAsync("/api/v1/residents/bob/requests")).ReadAsync();
        Assert.DoesNotContain(own["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Admin_reads_any_request_and_lists_with_filters()
    {
        using var resident = Host.Client("res-admin-view");
        using var admin = Host.Admin();
        var building = "bldg-" + Guid.NewGuid().ToString("N")[..6];
        var first = await resident.CreateIdAsync(building);
        var second = await resident.CreateIdAsync(building);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/requests/{first}")).StatusCode);
        var list = await (await admin.GetAsync($"/api/v1/requests?building={building}&status=received&limit=10")).ReadAsync();
        Assert.Equal([second, first], list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Null(list["continuationToken"]);
        var none = await (await admin.GetAsync($"/api/v1/requests?building={building}&status=resolved")).ReadAsync();
        Assert.Empty(none["items"]!.AsArray());
        var residentView = await (await admin.GetAsync("/api/v1/residents/res-admin-view/requests")).ReadAsync();
        Assert.True(residentView["items"]!.AsArray().Count >= 2);
    }

    [Theory]
    [InlineData("status=open")]
    [InlineData("category=plumbingg")]
    [InlineData("urgency=4")]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=ten")]
    [InlineData("createdFrom=yesterday")]
    [InlineData("createdFrom=2026-12-01T00:00:00Z&createdTo=2026-11-01T00:00:00Z")]
    [InlineData("continuationToken=%00%00garbage")]
    [InlineData("escalated=yes")]
    [InlineData("reopened=1")]
    [InlineData("unconfirmed=maybe")]
    [InlineData("minRating=0")]
    [InlineData("maxRating=6")]
    [InlineData("minRating=4.5")]
    [InlineData("minRating=4&maxRating=2")]
    [InlineData("resolvedTo=soon")]
    [InlineData("resolvedFrom=2026-12-01T00:00:00Z&resolvedTo=2026-11-01T00:00:00Z")]
    public async Task Bad_list_parameters_are_400_with_field_errors(string query)
    {
        using var admin = Host.Admin();
        var problem = await (await admin.GetAsync("/api/v1/requests?" + query)).AssertProblemAsync(400);
        Assert.NotNull(problem["errors"]);
    }

    [Fact]
    public async Task Status_change_needs_admin_and_if_match_and_rejects_stale_etags_and_illegal_moves()
    {
        using var resident = Host.Client("res-status");
        using var admin = Host.Admin();
        var created = await resident.CreateAsync();
        var id = (await created.ReadAsync())["id"]!.GetValue<string>();
        var etag = created.Headers.ETag!;

        await (await Put(resident, id, "escalated", etag)).AssertProblemAsync(403);
        await (await Put(admin, id, "escalated", null)).AssertProblemAsync(428);
        await (await Put(admin, id, "escalated", new EntityTagHeaderValue("\"stale\""))).AssertProblemAsync(412);
        await (await Put(admin, id, "resolved", etag)).AssertProblemAsync(409);

        var moved = await Put(admin, id, "escalated", etag);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await moved.ReadAsync();
        Assert.Equal("escalated", body["status"]!.GetValue<string>());
        Assert.Equal("admin:manager-1", body["history"]!.AsArray().Last()!["actor"]!.GetValue<string>());
        Assert.NotEqual(etag, moved.Headers.ETag);

        // The old ETag is stale now.
        await (await Put(admin, id, "cancelled", etag)).AssertProblemAsync(412);
        Assert.Equal(HttpStatusCode.OK, (await Put(admin, id, "cancelled", moved.Headers.ETag)).StatusCode);
    }

    [Fact]
    public async Task Resident_selects_one_of_the_decided_options()
    {
        using var resident = Host.Client("res-select");
        var id = await resident.CreateIdAsync();
        var early = await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "opt-a" }));
        await early.AssertProblemAsync(409);

        await MoveToAwaitingChoiceAsync(id);

        await (await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "opt-z" }))).AssertProblemAsync(409);
        await (await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { }))).AssertProblemAsync(400);
        var chosen = await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "opt-b" }));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        var body = await chosen.ReadAsync();
        Assert.Equal("opt-b", body["selectedOptionId"]!.GetValue<string>());
        Assert.Equal("opt-a", body["decision"]!["recommendedOptionId"]!.GetValue<string>());
        Assert.Equal("resident_chooses", body["decision"]!["nextStep"]!.GetValue<string>());
        Assert.Equal(2, body["options"]!.AsArray().Count);
    }

    [Fact]
    public async Task Resident_confirms_a_resolution_with_a_rating_and_admin_resolves_an_escalation()
    {
        using var resident = Host.Client("res-resolve");
        using var admin = Host.Admin();
        var id = await resident.CreateIdAsync();

        // Nothing is being carried out yet: a resident cannot confirm.
        await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "fixed", rating = 5 }))).AssertProblemAsync(409);
        await MoveToAwaitingChoiceAsync(id);
        await UpdateAsync(id, r => r.WithSelectedOption("opt-a", "system", r.UpdatedAt).TransitionTo(RequestStatus.Executing, "system", r.UpdatedAt));
        // Being carried out is not done: the resident confirms once the work is reported complete.
        await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "fixed", rating = 5 }))).AssertProblemAsync(409);
        await UpdateAsync(id, r => r.AwaitConfirmation(r.UpdatedAt));

        await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "fixed" }))).AssertProblemAsync(400);
        await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "fixed", rating = 6 }))).AssertProblemAsync(400);
        var done = await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "Plumber replaced the trap", rating = 4 }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var body = await done.ReadAsync();
        Assert.Equal("resolved", body["status"]!.GetValue<string>());
        Assert.Equal(4, body["resolution"]!["rating"]!.GetValue<int>());
        Assert.True(body["resolution"]!["confirmed"]!.GetValue<bool>());
        Assert.Equal(4, body["outcome"]!["rating"]!.GetValue<int>());

        var other = await resident.CreateIdAsync();
        var read = await admin.GetAsync($"/api/v1/requests/{other}");
        Assert.Equal(HttpStatusCode.OK, (await Put(admin, other, "escalated", read.Headers.ETag)).StatusCode);
        var closed = await admin.PostAsync($"/api/v1/requests/{other}/resolve", Json.Body(new { outcome = "Handled by phone" }));
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var anonymous = Host.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/health")).StatusCode);
        var ready = await anonymous.GetAsync("/api/v1/health/ready");
        Assert.Equal("ready", (await ready.ReadAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_document_and_reference_page_are_served()
    {
        using var anonymous = Host.Client();
        var doc = await (await anonymous.GetAsync("/openapi/v1.json")).ReadAsync();
        Assert.StartsWith("3.1", doc["openapi"]!.GetValue<string>());
        Assert.NotNull(doc["paths"]!["/api/v1/requests"]);
        Assert.NotNull(doc["paths"]!["/api/v1/requests/{id}/select-option"]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task Correlation_id_is_echoed_or_generated()
    {
        using var client = Host.Client("res-corr");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/requests/req_nope");
        request.Headers.Add("x-correlation-id", "trace-123");
        var response = await client.SendAsync(request);

        Assert.Equal("trace-123", response.Headers.GetValues("x-correlation-id").Single());
        Assert.Equal("trace-123", (await response.AssertProblemAsync(404))["correlationId"]!.GetValue<string>());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        hostile.Headers.TryAddWithoutValidation("x-correlation-id", "bad\"value{with}junk");
        var generated = (await client.SendAsync(hostile)).Headers.GetValues("x-correlation-id").Single();
        Assert.Matches("^[0-9a-f]{32}$", generated);
    }

    private static Task<HttpResponseMessage> Put(HttpClient client, string id, string status, EntityTagHeaderValue? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/requests/{id}")
        {
            Content = new StringContent($$"""{"status":"{{status}}","note":"by test"}""", Encoding.UTF8, "application/json"),
        };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(etag);
        }
        return client.SendAsync(request);
    }

    /// <summary>Stands in for the pipeline (a later part of the system) by writing its results through the store.</summary>
    private async Task MoveToAwaitingChoiceAsync(string id)
    {
        static ResolutionOption Option(string optionId) => new(optionId, "schedule_by_sla", "Schedule", "A visit within the SLA",
            new OptionSimulation(2000, 20, 40, 150, 100, 220, 0.04, 4.1, true, []), []);
        await UpdateAsync(id, r =>
        {
            var t = r.UpdatedAt.AddSeconds(1);
            return r.WithClassification(new Classification(Category.Plumbing, Urgency.Normal, 0.9, [], ["leak"], "rules", "test"), t)
                .WithRisk(new RiskAssessment(0.2, RiskLevel.Low, [], "test"), t)
                .WithOptions([Option("opt-a"), Option("opt-b")], t)
                .WithDecision(new Decision("opt-a", NextStep.ResidentChooses, [], [], "test", "p1", t), t)
                .TransitionTo(RequestStatus.AwaitingResidentChoice, "system", t);
        });
    }

    private async Task UpdateAsync(string id, Func<ResidentRequest, ResidentRequest> change)
    {
        var store = Host.Services.GetRequiredService<IRequestStore>();
        var current = (await store.GetAsync(id))!;
        await store.ReplaceAsync(change(current.Value), current.ETag);
    }
}
