using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;

namespace ApartmentManager.Learning.Tests;

public sealed class EngineTests
{
    [Fact]
    public async Task A_run_on_a_tiny_outcome_set_does_nothing_and_says_so()
    {
        using var fixture = new LearningFixture();
        await fixture.SeedAsync(new KnownWorld(2, 3, 5).Generate(12));

        var result = await fixture.Engine.RunAsync(LearningFixture.Admin, default);

        Assert.Null(result.Version);
        Assert.False(result.Adopted);
        Assert.Contains("12 outcomes", result.Message, StringComparison.Ordinal);
        Assert.Empty(await ((Parameters.IParameterSetStore)fixture.Store).ListAsync());
    }

    [Fact]
    public async Task An_admin_rolls_back_to_the_priors_and_to_a_version_and_each_activation_is_audited()
    {
        using var fixture = new LearningFixture();
        await fixture.SeedAsync(new KnownWorld(2, 3, 7).Generate(300));
        var run = await fixture.Engine.RunAsync(LearningFixture.Admin, default);
        Assert.True(run.Adopted, run.Message);
        Assert.Equal("v1", (await fixture.Active.GetActiveAsync())!.Version);

        await fixture.Engine.ActivateAsync(LearningFixture.Admin, LearnedParameters.PriorsVersion, default);
        Assert.Null(await fixture.Active.GetActiveAsync());
        await fixture.Engine.ActivateAsync(LearningFixture.Admin, "v1", default);
        Assert.Equal("v1", (await fixture.Active.GetActiveAsync())!.Version);

        var overview = await fixture.Engine.ListAsync(LearningFixture.Admin, default);
        Assert.Equal("v1", overview.ActiveVersion);
        Assert.Equal("admin:ops-1", overview.ActivatedBy);
        Assert.Equal(300, overview.Outcomes);
        Assert.Single(overview.Versions);

        var activations = await fixture.Audit.QueryAsync(new AuditQuery { Action = LearningEngine.ActivatedAction });
        Assert.Equal(["v1", "priors"], activations.Items.Select(a => a.TargetId));
        Assert.Equal("priors", activations.Items[0].Before);

        await Assert.ThrowsAsync<UnknownParameterSetException>(() => fixture.Engine.ActivateAsync(LearningFixture.Admin, "v9", default));
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Engine.ActivateAsync(LearningFixture.Resident, "v1", default));
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Engine.RunAsync(LearningFixture.Resident, default));
    }

    [Fact]
    public async Task The_outcome_set_exports_as_json_lines_oldest_first()
    {
        using var fixture = new LearningFixture();
        var outcomes = new KnownWorld(2, 3, 9).Generate(5);
        await fixture.SeedAsync([.. outcomes.AsEnumerable().Reverse()]);
        using var buffer = new MemoryStream();

        Assert.Equal(5, await fixture.Engine.ExportAsync(LearningFixture.Admin, buffer, default));

        var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Contains("\"category\":\"plumbing\"", string.Join("", lines), StringComparison.Ordinal);
        var first = System.Text.Json.JsonSerializer.Deserialize(lines[0], LearningJson.Default.OutcomeRecord)!;
        Assert.Equal(outcomes.MinBy(o => o.ResolvedAt), first);
    }

    [Fact]
    public void The_next_nightly_run_is_today_at_the_hour_or_tomorrow()
    {
        var now = new DateTimeOffset(2026, 11, 30, 1, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), LearningSchedule.NextRun(now, 2));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero), LearningSchedule.NextRun(now, 1));
    }
}
