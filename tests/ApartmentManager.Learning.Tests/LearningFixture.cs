using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Learning.Tests;

/// <summary>A learning engine over real SQLite files in a temporary directory.</summary>
internal sealed class LearningFixture : IDisposable
{
    public static readonly Caller Admin = new("ops-1", IsAdmin: true, IsResident: false);
    public static readonly Caller Resident = new("res-1", IsAdmin: false, IsResident: true);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "am-learning-" + Guid.NewGuid().ToString("N"));

    public LearningFixture(LearningOptions? options = null)
    {
        Directory.CreateDirectory(_dir);
        Options = options ?? new LearningOptions();
        var requestsDb = new SqliteDatabase(Path.Combine(_dir, "requests.db"), SqliteRequestStore.Migrations);
        Requests = new SqliteRequestStore(requestsDb);
        Audit = new SqliteAuditLog(requestsDb);
        Store = new SqliteLearningStore(new SqliteDatabase(Path.Combine(_dir, "learning.db"), SqliteLearningStore.Migrations));
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Active = new ActiveCalibrationSource(Store, wrapped, TimeProvider.System);
        Forecaster = new OptionForecaster(new DecisionOptions());
        RiskModels = new Risk.RiskModels(Store, Active, Microsoft.Extensions.Options.Options.Create(new ApartmentManager.Intelligence.IntelligenceOptions()), wrapped);
        Engine = new LearningEngine(new OutcomeCollector(Requests, Store), Store, Store, Forecaster, Active, RiskModels,
            new AuditTrail(Audit, TimeProvider.System), wrapped, TimeProvider.System, NullLogger<LearningEngine>.Instance);
    }

    public LearningOptions Options { get; }
    public SqliteRequestStore Requests { get; }
    public SqliteAuditLog Audit { get; }
    public SqliteLearningStore Store { get; }
    public ActiveCalibrationSource Active { get; }
    public OptionForecaster Forecaster { get; }
    public LearningEngine Engine { get; }
    public Risk.RiskModels RiskModels { get; }

    public Task SeedAsync(IReadOnlyList<OutcomeRecord> outcomes) => ((IOutcomeStore)Store).UpsertAsync(outcomes);

    public void Dispose()
    {
        RiskModels.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
