using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Workflow.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApartmentManager.Workflow.Tests;

public sealed class EmbeddedRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-wf-").FullName;
    private readonly ScriptedSteps _steps = new();

    private async Task<(EmbeddedWorkflowRunner Runner, ServiceProvider Services)> StartRunnerAsync(IPipelineSteps? steps = null,
        int workers = 4, int queueCapacity = 256)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dir,
            ["Workflow:PollInterval"] = "00:00:00.050",
            ["Workflow:MaxConcurrentInstances"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Workflow:QueueCapacity"] = queueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(steps ?? _steps);
        services.Configure<StorageOptions>(configuration.GetSection("Storage"));
        services.AddEmbeddedWorkflow(configuration);
        var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<EmbeddedWorkflowRunner>();
        await ((IHostedService)runner).StartAsync(CancellationToken.None);
        return (runner, provider);
    }

    private static async Task StopAsync((EmbeddedWorkflowRunner Runner, ServiceProvider Services) host)
    {
        await ((IHostedService)host.Runner).StopAsync(CancellationToken.None);
        await host.Services.DisposeAsync();
    }

    private static async Task<WorkflowInstanceState> WaitForAsync(EmbeddedWorkflowRunner runner, string id, params string[] statuses)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (runner.GetState(id) is { } state && statuses.Contains(state.Status))
            {
                return state;
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Runs_a_workflow_to_completion_once_even_if_started_twice()
    {
        var host = await StartRunnerAsync();
        await host.Runner.StartAsync("req_1", "res-1");
        await host.Runner.StartAsync("req_1", "res-1");

        var state = await WaitForAsync(host.Runner, "req_1", "completed");
        await Task.Delay(200); // give a wrongly scheduled second run the chance to show up

        Assert.Contains("\"resolved\"", state.Result, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Classify.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.Execute.Name));
        await StopAsync(host);
    }

    [Fact]
    public async Task A_waiting_instance_is_woken_by_the_residents_choice()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };
        var host = await StartRunnerAsync();
        await host.Runner.StartAsync("req_2", "res-1");

        var waiting = await WaitForAsync(host.Runner, "req_2", "waiting");
        Assert.Contains(WorkflowSteps.AwaitResident.Name, waiting.Progress);
        Assert.NotNull(waiting.WakeAt);

        await host.Runner.RaiseEventAsync("req_2", WorkflowEvents.OptionSelected, "opt-3");
        await WaitForAsync(host.Runner, "req_2", "completed");

        Assert.Equal("opt-3", _steps.LastExecuteInput!.OptionId);
        await StopAsync(host);
    }

    [Fact]
    public async Task A_persisted_timer_fires_and_escalates_when_nobody_answers()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ManagerApproves, ManagerApprovalSla = TimeSpan.FromMilliseconds(300) };
        var host = await StartRunnerAsync();
        await host.Runner.StartAsync("req_3", "res-1");

        var state = await WaitForAsync(host.Runner, "req_3", "completed");

        Assert.Contains("escalated", state.Result);
        Assert.Equal(1, _steps.Count(WorkflowSteps.Escalate.Name));
        Assert.Equal(0, _steps.Count(WorkflowSteps.Execute.Name));
        await StopAsync(host);
    }

    [Fact]
    public async Task After_a_restart_recorded_steps_are_not_repeated_and_the_wait_resumes()
    {
        _steps.Decision = _steps.Decision with { NextStep = NextStep.ResidentChooses };
        var first = await StartRunnerAsync();
        await first.Runner.StartAsync("req_4", "res-1");
        await WaitForAsync(first.Runner, "req_4", "waiting");
        await StopAsync(first);

        var second = await StartRunnerAsync();
        await second.Runner.RaiseEventAsync("req_4", WorkflowEvents.OptionSelected, "opt-2");
        await WaitForAsync(second.Runner, "req_4", "completed");

        Assert.Equal(1, _steps.Count(WorkflowSteps.Classify.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.Decide.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.AwaitResident.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.Execute.Name));
        await StopAsync(second);
    }

    [Fact]
    public async Task A_run_interrupted_mid_step_resumes_from_that_step()
    {
        var blocking = new BlockingSimulateSteps(_steps);
        var first = await StartRunnerAsync(blocking);
        await first.Runner.StartAsync("req_5", "res-1");
        await blocking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await StopAsync(first); // the process "dies" while Simulate runs

        blocking.Block = false;
        var second = await StartRunnerAsync(blocking);
        await WaitForAsync(second.Runner, "req_5", "completed");

        Assert.Equal(1, _steps.Count(WorkflowSteps.Classify.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.PredictRisk.Name));
        Assert.Equal(1, _steps.Count(WorkflowSteps.Simulate.Name)); // the interrupted attempt never finished, the resumed one did
        Assert.Equal(2, blocking.SimulateEntries);
        await StopAsync(second);
    }

    [Fact]
    public async Task A_restart_with_far_more_unfinished_instances_than_the_queue_holds_drains_them_all()
    {
        // 120 instances left behind with a ready queue of 4: two caught mid-step ('running'), the rest never started.
        var blocking = new BlockingSimulateSteps(_steps);
        var first = await StartRunnerAsync(blocking, workers: 2, queueCapacity: 4);
        var ids = Enumerable.Range(0, 120).Select(i => $"req_backlog_{i}").ToList();
        foreach (var id in ids)
        {
            await first.Runner.StartAsync(id, "res-1").WaitAsync(TimeSpan.FromSeconds(30)); // intake never waits for the full queue
        }
        await blocking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await StopAsync(first);
        Assert.Contains(ids, id => first.Runner.GetState(id)?.Status == "running");

        blocking.Block = false;
        var second = await StartRunnerAsync(blocking, workers: 2, queueCapacity: 4);
        // New intake during the drain is taken at once too.
        await second.Runner.StartAsync("req_backlog_late", "res-1").WaitAsync(TimeSpan.FromSeconds(30));
        ids.Add("req_backlog_late");
        foreach (var id in ids)
        {
            await WaitForAsync(second.Runner, id, "completed");
        }

        Assert.Equal(ids.Count, _steps.Count(WorkflowSteps.Execute.Name));
        Assert.Equal(ids.Count, _steps.Count(WorkflowSteps.Simulate.Name));
        await StopAsync(second);
    }

    [Fact]
    public async Task Killed_again_and_again_while_draining_a_backlog_nothing_is_lost_or_executed_twice()
    {
        var gate = new BlockingSimulateSteps(_steps);
        var seed = await StartRunnerAsync(gate, workers: 2, queueCapacity: 4);
        var ids = Enumerable.Range(0, 80).Select(i => $"req_kill_{i}").ToList();
        foreach (var id in ids)
        {
            await seed.Runner.StartAsync(id, "res-1").WaitAsync(TimeSpan.FromSeconds(30));
        }
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await StopAsync(seed);
        gate.Block = false;

        // Each restart is stopped as soon as a few more instances finished: killed in the middle of the drain.
        for (var kill = 0; kill < 5; kill++)
        {
            var host = await StartRunnerAsync(_steps, workers: 3, queueCapacity: 4);
            var before = _steps.Count(WorkflowSteps.Execute.Name);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (_steps.Count(WorkflowSteps.Execute.Name) < Math.Min(ids.Count, before + 7))
            {
                await Task.Delay(5, timeout.Token);
            }
            await StopAsync(host);
        }

        var last = await StartRunnerAsync(_steps, workers: 3, queueCapacity: 4);
        foreach (var id in ids)
        {
            await WaitForAsync(last.Runner, id, "completed");
        }
        Assert.Equal(ids.Count, _steps.Count(WorkflowSteps.Execute.Name));
        Assert.Equal(ids.Count, _steps.Count(WorkflowSteps.Classify.Name));
        await StopAsync(last);
    }

    [Fact]
    public async Task A_signal_for_an_unknown_instance_is_ignored()
    {
        var host = await StartRunnerAsync();
        await host.Runner.RaiseEventAsync("req_nobody", WorkflowEvents.OptionSelected, "x");
        Assert.Null(host.Runner.GetState("req_nobody"));
        await StopAsync(host);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Simulate blocks until cancelled while <see cref="Block"/> is set: a step caught mid-flight by a crash.</summary>
    private sealed class BlockingSimulateSteps(ScriptedSteps inner) : DelegatingSteps(inner)
    {
        public volatile bool Block = true;
        public int SimulateEntries;
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<StepDone> SimulateAsync(StepInput input, CancellationToken ct)
        {
            Interlocked.Increment(ref SimulateEntries);
            if (Block)
            {
                Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
            return await base.SimulateAsync(input, ct);
        }

    }
}
