using System.Net;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

/// <summary>The identity of a unit: canonical spelling, repeat complaints counted across spellings, the resident directory.</summary>
public sealed class ResidentDirectoryEndToEndTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    private static readonly string[] Settled = ["awaiting_resident_choice", "awaiting_manager_approval", "resolved", "escalated"];

    [Fact]
    public async Task Twelve_a_in_any_spelling_is_one_unit_for_storage_filters_and_repeat_complaints()
    {
        using var resident = Host.Client("res-unit-12a");
        using var admin = Host.Admin();
        const string message = "The bathroom sink faucet drips all day and night";

        var first = await CreateAsync(resident, " Birch  Hall ", "12a", message);
        Assert.Equal("birch hall", first["building"]!.GetValue<string>());
        Assert.Equal("12A", first["unit"]!.GetValue<string>());
        await Json.WaitForStatusAsync(resident, first["id"]!.GetValue<string>(), Settled);

        var second = await CreateAsync(resident, "birch hall", "12 A", message);
        Assert.Equal("12A", second["unit"]!.GetValue<string>());
        await Json.WaitForStatusAsync(resident, second["id"]!.GetValue<string>(), Settled);
        // Risk factors are internal: the resident's view leaves them out, a manager's shows them.
        var scored = await (await admin.GetAsync($"/api/v1/requests/{second["id"]!.GetValue<string>()}")).ReadAsync();
        var factors = scored["risk"]!["factors"]!.AsArray();
        Assert.Equal("1", factors.Single(f => f!["name"]!.GetValue<string>() == "repeat_complaints")!["value"]!.GetValue<string>());

        var listed = await (await admin.GetAsync("/api/v1/requests?building=BIRCH%20HALL&unit=12-a")).ReadAsync();
        Assert.Equal(2, listed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_directory_is_the_source_of_the_unit_and_a_request_for_another_unit_is_refused()
    {
        using var resident = Host.Client("res-dir-1");
        using var admin = Host.Admin();

        await (await resident.PutAsync("/api/v1/residents/res-dir-1", Json.Body(new { building = "maple-court", unit = "4B" }))).AssertProblemAsync(403);
        var bad = await (await admin.PutAsync("/api/v1/residents/res-dir-1", Json.Body(new { building = "", unit = "--", email = "nope" }))).AssertProblemAsync(400);
        Assert.NotNull(bad["errors"]!["building"]);
        Assert.NotNull(bad["errors"]!["unit"]);
        Assert.NotNull(bad["errors"]!["email"]);

        var put = await admin.PutAsync("/api/v1/residents/res-dir-1",
            Json.Body(new { building = "Maple-Court", unit = "4 b", name = "Ana Diaz", phone = "+1 555 0100", email = "ana@example.com" }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var entry = await put.ReadAsync();
        Assert.Equal("maple-court", entry["building"]!.GetValue<string>());
        Assert.Equal("4B", entry["unit"]!.GetValue<string>());
        Assert.Equal("admin:manager-1", entry["updatedBy"]!.GetValue<string>());

        // The resident reads their own entry; another resident cannot.
        Assert.Equal("4B", (await (await resident.GetAsync("/api/v1/residents/res-dir-1")).ReadAsync())["unit"]!.GetValue<string>());
        using var stranger = Host.Client("res-dir-2");
        await (await stranger.GetAsync("/api/v1/residents/res-dir-1")).AssertProblemAsync(404);

        var refused = await (await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building = "maple-court", unit = "9C", message = "My neighbour's sink leaks" }))).AssertProblemAsync(403);
        Assert.Contains("'4B'", refused["detail"]!.GetValue<string>());

        var own = await CreateAsync(resident, "maple-court", "4-b", "The hallway light in my unit flickers");
        Assert.Equal("4B", own["unit"]!.GetValue<string>());
    }

    private static async Task<JsonNode> CreateAsync(HttpClient resident, string building, string unit, string message)
    {
        var response = await resident.PostAsync("/api/v1/requests", Json.Body(new { building, unit, message }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync();
    }
}
