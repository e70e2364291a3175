using System.Net;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

/// <summary>The work a request cost, over HTTP: on the request for admins only, and summed by building, category and day.</summary>
public sealed class UsageTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task Admins_see_a_requests_simulation_cpu_and_the_daily_sum_residents_see_neither()
    {
        var building = "usage-" + Guid.NewGuid().ToString("N")[..8];
        using var resident = Host.Client("res-usage-1");
        using var admin = Host.Admin();
        var created = await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building, unit = "1A", message = "water is pouring from under my kitchen sink" }));
        var id = (await created.ReadAsync())["id"]!.GetValue<string>();
        var seen = await EventuallyAsync(async () =>
        {
            var r = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
            return r["decision"] is not null ? r : null;
        });

        // The simulate step ran Monte Carlo for every option: its CPU time is on the request. No LLM, no model server here.
        var usage = seen["usage"]!;
        Assert.True(usage["simulationCpuMs"]!.GetValue<double>() > 0);
        Assert.Equal(0, usage["modelServerMs"]!.GetValue<double>());
        Assert.Empty(usage["llm"]!.AsArray());
        Assert.Null((await (await resident.GetAsync($"/api/v1/requests/{id}")).ReadAsync())["usage"]);
        Assert.Null((await (await resident.GetAsync("/api/v1/residents/res-usage-1/requests")).ReadAsync())["items"]![0]!["usage"]);

        var report = await (await admin.GetAsync($"/api/v1/admin/usage?building={building}")).ReadAsync();
        Assert.Equal(1, report["requests"]!.GetValue<int>());
        var row = Assert.Single(report["items"]!.AsArray())!;
        Assert.Equal(building, row["building"]!.GetValue<string>());
        Assert.Equal("plumbing", row["category"]!.GetValue<string>());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), row["day"]!.GetValue<string>());
        Assert.Equal(usage["simulationCpuMs"]!.GetValue<double>(), row["simulationCpuMs"]!.GetValue<double>(), 3);
        Assert.Equal(row["simulationCpuMs"]!.GetValue<double>(), report["total"]!["simulationCpuMs"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task The_usage_report_is_for_admins_and_validates_its_range()
    {
        using var resident = Host.Client("res-usage-2");
        using var admin = Host.Admin();
        await (await resident.GetAsync("/api/v1/admin/usage")).AssertProblemAsync(403);
        using var anonymous = Host.Client();
        await (await anonymous.GetAsync("/api/v1/admin/usage")).AssertProblemAsync(401);
        var bad = await (await admin.GetAsync("/api/v1/admin/usage?from=yesterday")).AssertProblemAsync(400);
        Assert.NotNull(bad["errors"]!["from"]);
        await (await admin.GetAsync("/api/v1/admin/usage?from=2026-01-01&to=2026-12-31")).AssertProblemAsync(400);
        await (await admin.GetAsync("/api/v1/admin/usage?from=2026-11-02&to=2026-11-01")).AssertProblemAsync(400);
        var empty = await (await admin.GetAsync("/api/v1/admin/usage?building=nowhere-at-all&from=2026-11-01&to=2026-11-02")).ReadAsync();
        Assert.Equal(0, empty["requests"]!.GetValue<int>());
        Assert.Empty(empty["items"]!.AsArray());
    }

    private static async Task<JsonNode> EventuallyAsync(Func<Task<JsonNode?>> probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
