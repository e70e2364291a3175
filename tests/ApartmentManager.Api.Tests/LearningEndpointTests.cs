using ApartmentManager.Domain;
using ApartmentManager.Learning.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Api.Tests;

/// <summary>The learning engine over HTTP on the single-node host: admin only, run, list, activate (roll back), export.</summary>
public sealed class LearningEndpointTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task Admins_run_learning_list_versions_roll_back_and_later_decisions_record_the_active_version()
    {
        using var admin = Host.Admin();
        using var resident = Host.Client("res-learning-1");
        using var anonymous = Host.Client();
        await (await resident.PostAsync("/api/v1/admin/learning/run", null)).AssertProblemAsync(403);
        await (await anonymous.GetAsync("/api/v1/admin/learning")).AssertProblemAsync(401);
        await (await resident.GetAsync("/api/v1/admin/learning/outcomes")).AssertProblemAsync(403);

        // Nothing recorded yet: a run does nothing and says so.
        var empty = await (await admin.PostAsync("/api/v1/admin/learning/run", null)).ReadAsync();
        Assert.Null(empty["version"]);
        Assert.False(empty["adopted"]!.GetValue<bool>());
        Assert.Contains("Nothing learned", empty["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // 200 outcomes in which building "learn-b3" escalates three times as often as the others.
        var rng = new Random(3);
        var start = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
        var outcomes = Enumerable.Range(0, 200).Select(i =>
        {
            var building = i % 4 == 0 ? "learn-b3" : "learn-b1";
            double risk = 0.05 + 0.15 * rng.NextDouble();
            bool escalated = rng.NextDouble() < (building == "learn-b3" ? 3 * risk : risk);
            var filed = start.AddHours(i * 5);
            double resolution = 20 + 30 * rng.NextDouble();
            return new OutcomeRecord($"req_learn_{i:D4}", building, Category.Plumbing, Urgency.Normal, "schedule_by_sla", filed, filed,
                filed.AddHours(resolution + 24), filed.UtcDateTime.TimeOfDay.TotalHours, risk, RiskLevel.Low, "priors", 25, 70, 150, 0.7,
                resolution - 2, 1.5, resolution, 100 + 80 * rng.NextDouble(), 0, 5, 1, escalated);
        }).ToList();
        await Host.Services.GetRequiredService<IOutcomeStore>().UpsertAsync(outcomes);

        var run = await (await admin.PostAsync("/api/v1/admin/learning/run", null)).ReadAsync();
        Assert.Equal("v1", run["version"]!.GetValue<string>());
        Assert.Equal(200, run["outcomes"]!.GetValue<int>());
        var evaluation = run["evaluation"]!;
        Assert.Equal(140, evaluation["trainOutcomes"]!.GetValue<int>());
        Assert.Equal(60, evaluation["testOutcomes"]!.GetValue<int>());
        Assert.Equal(6, evaluation["comparisons"]!.AsArray().Count);
        Assert.Equal(run["adopted"]!.GetValue<bool>(), evaluation["adopted"]!.GetValue<bool>());

        var list = await (await admin.GetAsync("/api/v1/admin/learning")).ReadAsync();
        Assert.Equal(run["adopted"]!.GetValue<bool>() ? "v1" : "priors", list["activeVersion"]!.GetValue<string>());
        var version = Assert.Single(list["versions"]!.AsArray())!;
        Assert.Equal("v1", version["version"]!.GetValue<string>());
        Assert.True(version["calibration"]!["buildingRiskLogOdds"]!["learn-b3"]!.GetValue<double>() > 0.3);

        // Roll back to the priors, then make v1 active by hand; unknown and malformed versions are refused.
        var priors = await (await admin.PostAsync("/api/v1/admin/learning/priors/activate", null)).ReadAsync();
        Assert.Equal("priors", priors["version"]!.GetValue<string>());
        var activated = await (await admin.PostAsync("/api/v1/admin/learning/v1/activate", null)).ReadAsync();
        Assert.Equal("admin:manager-1", activated["actor"]!.GetValue<string>());
        await (await admin.PostAsync("/api/v1/admin/learning/v99/activate", null)).AssertProblemAsync(404);
        var bad = await (await admin.PostAsync("/api/v1/admin/learning/latest/activate", null)).AssertProblemAsync(400);
        Assert.NotNull(bad["errors"]!["version"]);
        await (await resident.PostAsync("/api/v1/admin/learning/v1/activate", null)).AssertProblemAsync(403);
        var audit = await (await admin.GetAsync("/api/v1/admin/audit?action=learning.activated")).ReadAsync();
        Assert.Equal(["v1", "priors"], audit["items"]!.AsArray().Select(e => e!["targetId"]!.GetValue<string>()));

        // The data set exports as JSON lines.
        var export = await admin.GetAsync("/api/v1/admin/learning/outcomes");
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);

        // A request decided now records v1 in its decision and in its options' simulations; from "learn-b3" its risk carries the learned shift.
        var created = await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building = "learn-b3", unit = "2B", message = "The bathroom tap keeps dripping" }));
        var id = (await created.ReadAsync())["id"]!.GetValue<string>();
        var decided = await EventuallyAsync(async () =>
        {
            var r = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
            return r["decision"] is not null ? r : null;
        });
        Assert.Equal("v1", decided["decision"]!["parametersVersion"]!.GetValue<string>());
        Assert.All(decided["options"]!.AsArray(), o => Assert.Equal("v1", o!["simulation"]!["parametersVersion"]!.GetValue<string>()));
        Assert.Contains(decided["risk"]!["factors"]!.AsArray(), f => f!["name"]!.GetValue<string>() == OutcomeRecord.LearnedRiskFactor);
        Assert.EndsWith("+learned:v1", decided["risk"]!["modelVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> EventuallyAsync(Func<Task<System.Text.Json.Nodes.JsonNode?>> probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(200, timeout.Token);
        }
    }
}
