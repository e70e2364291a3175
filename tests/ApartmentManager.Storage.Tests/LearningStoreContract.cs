using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Domain;
using ApartmentManager.Learning.Evaluation;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;

namespace ApartmentManager.Storage.Tests;

/// <summary>
/// What every adapter's outcome data set and parameter-set store must do; run unchanged against SQLite and against
/// Cosmos DB on the local Cosmos-protocol server (whose container other tests share: ids here are unique per run).
/// </summary>
public abstract class LearningStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    protected abstract IOutcomeStore Outcomes { get; }
    protected abstract IParameterSetStore Sets { get; }

    private OutcomeRecord Outcome(int i, DateTimeOffset resolved, double? cost = 120.5) => new(
        $"req_{_run}_{i}", "bldg-1", Category.Plumbing, Urgency.Normal, "schedule_by_sla", T0, T0.AddHours(1), resolved, 9.25,
        0.12, RiskLevel.Low, "priors", 20.5, 60.25, 180, 0.74, 18.5, 1.75, 26.5, cost, 1, 4, 0.5, true);

    [Fact]
    public async Task Outcomes_are_upserted_by_request_and_listed_oldest_resolution_first()
    {
        await Outcomes.UpsertAsync([Outcome(1, T0.AddDays(3)), Outcome(2, T0.AddDays(1))]);
        await Outcomes.UpsertAsync([Outcome(1, T0.AddDays(2), cost: null)]); // resolved again after a reopening

        var mine = (await Outcomes.ListAsync()).Where(o => o.RequestId.Contains(_run, StringComparison.Ordinal)).ToList();

        Assert.Equal([$"req_{_run}_2", $"req_{_run}_1"], mine.Select(o => o.RequestId));
        Assert.Equal(Outcome(2, T0.AddDays(1)), mine[0]);
        Assert.Null(mine[1].ActualCost);
        Assert.Equal(T0.AddDays(2), mine[1].ResolvedAt);
    }

    [Fact]
    public async Task Parameter_sets_are_written_once_listed_newest_first_and_one_is_active()
    {
        int first = Random.Shared.Next(1_000, 100_000_000);
        var older = Set(first);
        var newer = Set(first + 1);
        Assert.True(await Sets.CreateAsync(older));
        Assert.True(await Sets.CreateAsync(newer));
        Assert.False(await Sets.CreateAsync(older with { Status = ParameterSet.Adopted }));

        var read = (await Sets.GetAsync(older.Version))!;
        Assert.Equal(ParameterSet.Rejected, read.Status);
        Assert.Equal(2.5, read.Calibration.Work["plumbing|normal|schedule_by_sla"].MedianHours);
        Assert.Equal(0.8, read.Calibration.BuildingRiskLogOdds["BLDG-1"]);
        Assert.Equal(MeasureComparison.Better, read.Evaluation.Comparisons[0].Verdict);
        Assert.Null(await Sets.GetAsync("v0"));
        var listed = (await Sets.ListAsync()).Where(s => s.Number >= first && s.Number <= first + 1).Select(s => s.Version).ToList();
        Assert.Equal([newer.Version, older.Version], listed);

        await Sets.SetActiveAsync(new ActiveParameters(newer.Version, T0, "system:learning"));
        await Sets.SetActiveAsync(new ActiveParameters(older.Version, T0.AddHours(1), "admin:ops"));
        var active = (await Sets.GetActiveAsync())!;
        Assert.Equal(older.Version, active.Version);
        Assert.Equal("admin:ops", active.Actor);
    }

    [Fact]
    public async Task An_outcome_keeps_the_risk_models_input_row_and_a_retrained_model_is_kept_with_its_set()
    {
        var row = new RiskInputs(["urgency", "hazard_cues", "building_age_years"], [1, 0, null]);
        await Outcomes.UpsertAsync([Outcome(3, T0.AddDays(4)) with { RiskInputs = row }]);
        var read = (await Outcomes.ListAsync()).Single(o => o.RequestId == $"req_{_run}_3");
        Assert.Equal(row.Names, read.RiskInputs!.Names);
        Assert.Equal(row.Values, read.RiskInputs.Values);

        // 2.5 MB: more than one Cosmos DB item holds, so it is kept in parts.
        int number = Random.Shared.Next(100_000_000, 200_000_000);
        var onnx = new byte[2_500_000];
        new Random(number).NextBytes(onnx);
        var version = ParameterSet.VersionOf(number);
        Assert.Null(await Sets.GetRiskModelAsync(version));
        await Sets.SaveRiskModelAsync(version, onnx);
        Assert.True(await Sets.CreateAsync(Set(number) with { RiskModel = new LearnedRiskModel(version, "risk-gbdt/learned+abc", 360, 60, onnx.Length) }));
        Assert.Equal(onnx, await Sets.GetRiskModelAsync(version));
        var model = (await Sets.GetAsync(version))!.RiskModel!;
        Assert.Equal((version, 360, 60, (long)onnx.Length), (model.StoredWith, model.TrainOutcomes, model.SkippedWithoutRow, model.Bytes));
    }

    private static ParameterSet Set(int number)
    {
        var measures = new Measures(10, -4.2, 0.05, 10, 80, 10, 0.12, 0.7);
        var report = new EvaluationReport(70, 30, T0, "priors", measures, measures with { EscalationBrier = 0.1 },
            [new MeasureComparison("escalation_brier", 0.12, 0.1, false, 0.01, MeasureComparison.Better)], false, "Rejected: test.");
        var calibration = new SimulationCalibration(ParameterSet.VersionOf(number),
            new Dictionary<string, LearnedDuration> { ["plumbing|normal|schedule_by_sla"] = new(2.5, 7.5, 40) },
            new Dictionary<string, double> { ["plumbing|normal|schedule_by_sla"] = 1.1 },
            new Dictionary<string, double> { ["schedule_by_sla"] = -0.02 },
            new Dictionary<string, double> { ["BLDG-1"] = 0.8 }, 0.1);
        return new ParameterSet(ParameterSet.VersionOf(number), number, T0, ParameterSet.Rejected, "priors", calibration, report);
    }
}

public sealed class SqliteLearningStoreTests : LearningStoreContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-sqlite-learning-").FullName;

    public SqliteLearningStoreTests()
    {
        var store = new ApartmentManager.Adapters.Sqlite.SqliteLearningStore(
            new ApartmentManager.Adapters.Sqlite.SqliteDatabase(Path.Combine(_dir, "learning.db"), ApartmentManager.Adapters.Sqlite.SqliteLearningStore.Migrations));
        Outcomes = store;
        Sets = store;
    }

    protected override IOutcomeStore Outcomes { get; }
    protected override IParameterSetStore Sets { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
