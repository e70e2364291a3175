using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Workflow.Embedded;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApartmentManager.Workflow.Tests;

/// <summary>
/// The embedded engine's tables share <c>requests.db</c> with the request store: a step's write carries the engine's
/// record of the step before it in one transaction, and a data directory of an older version (<c>workflow.db</c>) is
/// imported on start.
/// </summary>
public sealed class SharedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-wf-shared-").FullName;
    private readonly ScriptedSteps _steps = new();

    private string RequestsDb => Path.Combine(_dir, "requests.db");

    private async Task<(EmbeddedWorkflowRunner Runner, ServiceProvider Services, SqliteDatabase Database)> StartRunnerAsync(IPipelineSteps steps)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dir,
            ["Workflow:PollInterval"] = "00:00:00.050",
        }).Build();
        var database = new SqliteDatabase(RequestsDb, ["CREATE TABLE effects (request_id TEXT NOT NULL, step TEXT NOT NULL)"]);
        if (steps is WritingSteps writing)
        {
            writing.Database = database;
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(steps)
            .AddKeyedSingleton(SqliteServiceCollectionExtensions.RequestsDatabaseKey, database);
        services.Configure<StorageOptions>(configuration.GetSection("Storage"));
        services.AddEmbeddedWorkflow(configuration);
        var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<EmbeddedWorkflowRunner>();
        await ((IHostedService)runner).StartAsync(CancellationToken.None);
        return (runner, provider, database);
    }

    private static async Task StopAsync(EmbeddedWorkflowRunner runner, ServiceProvider services)
    {
        await ((IHostedService)runner).StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }

    private static async Task WaitForAsync(EmbeddedWorkflowRunner runner, string id, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (runner.GetState(id)?.Status != status)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private List<string> Read(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={RequestsDb};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    [Fact]
    public async Task A_steps_write_and_the_engines_record_of_the_step_before_commit_together_or_not_at_all()
    {
        // Each step writes its effect through the shared file; simulate's first write is rolled back, then it hangs.
        var steps = new WritingSteps(_steps) { FailSimulateWrite = true };
        var (runner, services, _) = await StartRunnerAsync(steps);
        await runner.StartAsync("req_1", "res-1");
        await steps.SimulateEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Predict-risk's checkpoint was to ride along with simulate's write, which rolled back: neither simulate's effect
        // nor that checkpoint is there; what came before predict-risk is.
        Assert.Equal(["classify", "predict_risk"], Read("SELECT step FROM effects WHERE request_id = 'req_1' ORDER BY rowid"));
        var before = Read("SELECT name FROM wf_checkpoints WHERE instance_id = 'req_1' ORDER BY seq");
        Assert.Equal(WorkflowSteps.Classify.Name, before[0]);
        Assert.DoesNotContain(WorkflowSteps.PredictRisk.Name, before);
        Assert.DoesNotContain(WorkflowSteps.Simulate.Name, before);
        await StopAsync(runner, services); // the process "dies" while simulate hangs

        steps.FailSimulateWrite = false;
        (runner, services, _) = await StartRunnerAsync(steps);
        await WaitForAsync(runner, "req_1", "completed");

        // Predict-risk ran again on replay (it would find its work done), simulate once; every step is recorded.
        Assert.Equal(["classify", "predict_risk", "predict_risk", "simulate"], Read("SELECT step FROM effects WHERE request_id = 'req_1' ORDER BY rowid"));
        var recorded = Read("SELECT name FROM wf_checkpoints WHERE instance_id = 'req_1' AND kind = 'step' ORDER BY seq");
        Assert.Equal(WorkflowSteps.Simulate.Name, recorded[recorded.IndexOf(WorkflowSteps.PredictRisk.Name) + 1]);
        Assert.Contains(WorkflowSteps.Execute.Name, recorded);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Execute.Name));
        Assert.False(File.Exists(Path.Combine(_dir, "workflow.db")));
        await StopAsync(runner, services);
    }

    [Fact]
    public async Task A_data_directory_of_an_older_version_keeps_its_instances_checkpoints_and_signals()
    {
        // workflow.db as the first versions wrote it (no trace_parent column yet): an instance that classified and is
        // waiting for the resident with the choice already received, and one never started.
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };
        var legacy = Path.Combine(_dir, "workflow.db");
        _ = new SqliteDatabase(legacy, [WorkflowStore.Migrations[0]]);
        var now = DateTimeOffset.UtcNow.UtcTicks;
        var classified = WorkflowSteps.Classify.Serialize(new StepDone(RequestStatus.Classified));
        using (var connection = new SqliteConnection($"Data Source={legacy};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO wf_instances (id, status, created_at, updated_at, wake_at) VALUES ('req_old', 'running', $now, $now, NULL);
                INSERT INTO wf_instances (id, status, created_at, updated_at, wake_at) VALUES ('req_new', 'pending', $now, $now, $now);
                INSERT INTO wf_checkpoints (instance_id, seq, kind, name, payload, recorded_at) VALUES ('req_old', 1, 'step', $classify, $classified, $now);
                INSERT INTO wf_signals (instance_id, name, payload, received_at) VALUES ('req_old', $selected, 'opt-2', $now);
                """;
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$classified", classified);
            insert.Parameters.AddWithValue("$classify", WorkflowSteps.Classify.Name);
            insert.Parameters.AddWithValue("$selected", WorkflowEvents.OptionSelected);
            insert.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        var (runner, services, _) = await StartRunnerAsync(_steps);
        Assert.False(File.Exists(legacy));
        await WaitForAsync(runner, "req_old", "completed");
        await WaitForAsync(runner, "req_new", "waiting");

        Assert.Equal(1, _steps.Count(WorkflowSteps.Classify.Name)); // req_new's; req_old's was recorded before the move
        Assert.Equal(1, _steps.Count(WorkflowSteps.Execute.Name)); // req_old's, with the option from the imported signal
        Assert.Equal("opt-2", _steps.LastExecuteInput?.OptionId);
        Assert.Equal(["1"], Read("SELECT CAST(consumed_seq IS NOT NULL AS TEXT) FROM wf_signals WHERE instance_id = 'req_old'"));
        await StopAsync(runner, services);

        // A second start (as after a kill right after the import) finds nothing to import and changes nothing.
        (runner, services, _) = await StartRunnerAsync(_steps);
        Assert.Equal("completed", runner.GetState("req_old")?.Status);
        await StopAsync(runner, services);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Classify, predict-risk and simulate write an effect row through the shared file, as the real steps write the request.</summary>
    private sealed class WritingSteps(ScriptedSteps inner) : DelegatingSteps(inner)
    {
        public SqliteDatabase? Database { get; set; }
        public volatile bool FailSimulateWrite;
        public TaskCompletionSource SimulateEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private void Write(string requestId, string step, bool fail = false)
        {
            using var session = Database!.Session();
            using var tx = session.BeginTransaction(deferred: false);
            var insert = session.Command("INSERT INTO effects (request_id, step) VALUES ($id, $step)", tx);
            insert.Parameters.AddWithValue("$id", requestId);
            insert.Parameters.AddWithValue("$step", step);
            insert.ExecuteNonQuery();
            if (fail)
            {
                tx.Rollback();
                return;
            }
            SqliteWriteEnlistment.Commit(Database, session, tx);
        }

        public override Task<StepDone> ClassifyAsync(StepInput input, CancellationToken ct)
        {
            Write(input.RequestId, "classify");
            return base.ClassifyAsync(input, ct);
        }

        public override Task<StepDone> PredictRiskAsync(StepInput input, CancellationToken ct)
        {
            Write(input.RequestId, "predict_risk");
            return base.PredictRiskAsync(input, ct);
        }

        public override async Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct)
        {
            if (FailSimulateWrite)
            {
                Write(input.RequestId, "simulate", fail: true);
                SimulateEntered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
            Write(input.RequestId, "simulate");
            return await base.SimulateAsync(input, ct);
        }

    }
}
