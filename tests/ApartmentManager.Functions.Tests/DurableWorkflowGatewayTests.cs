using ApartmentManager.Application.Ports;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Functions.Tests;

/// <summary>The app's Durable gateway against the real <see cref="DurableTaskClient"/> of the in-process engine.</summary>
public sealed class DurableWorkflowGatewayTests : IAsyncLifetime
{
    private readonly ScriptedSteps steps = new();
    private DurableEngine engine = null!;

    public async Task InitializeAsync() => engine = await DurableEngine.StartAsync(steps);

    public async Task DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task The_instance_id_is_the_request_id()
    {
        await engine.RunAsync("req_id");

        var instance = await engine.Client.GetInstanceAsync("req_id");
        Assert.Equal(RequestWorkflow.Name, instance?.Name);
        Assert.Equal("completed", (await engine.Gateway.GetAsync("req_id"))?.RuntimeStatus);
    }

    [Fact]
    public async Task Starting_twice_runs_one_workflow_even_after_it_finished()
    {
        await engine.Gateway.StartAsync("req_twice", "res-1");
        await engine.Gateway.StartAsync("req_twice", "res-1"); // running: refused quietly
        await engine.CompletionAsync("req_twice");
        await engine.Gateway.StartAsync("req_twice", "res-1"); // finished: never run again

        Assert.Single(steps.Steps, WorkflowSteps.Classify.Name);
        Assert.Single(steps.Steps, WorkflowSteps.Execute.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await engine.Client.GetInstanceAsync("req_twice"))?.RuntimeStatus);
    }

    [Fact]
    public async Task Concurrent_starts_make_one_instance()
    {
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => engine.Gateway.StartAsync("req_race", "res-1")));
        await engine.CompletionAsync("req_race");

        Assert.Single(steps.Steps, WorkflowSteps.Execute.Name);
    }

    [Fact]
    public async Task Raising_an_event_on_a_missing_instance_is_dropped_and_creates_nothing()
    {
        await engine.Gateway.RaiseEventAsync("req_missing", WorkflowEvents.OptionSelected, "opt-1");

        Assert.Null(await engine.Client.GetInstanceAsync("req_missing"));
        Assert.Null(await engine.Gateway.GetAsync("req_missing"));
    }

    [Fact]
    public async Task Raising_an_event_on_a_finished_instance_is_dropped()
    {
        await engine.RunAsync("req_finished");
        var before = steps.Steps.Count;

        await engine.Gateway.RaiseEventAsync("req_finished", WorkflowEvents.ManagerApproved, "opt-9");
        await engine.Gateway.StartAsync("req_finished", "res-1");

        Assert.Equal(before, steps.Steps.Count);
        Assert.Equal("completed", (await engine.Gateway.GetAsync("req_finished"))?.RuntimeStatus);
    }

    [Fact]
    public async Task A_terminated_workflow_reports_terminated_and_is_never_started_again()
    {
        steps.Decision = steps.Decision with { NextStep = ApartmentManager.Domain.NextStep.ResidentChooses, ResidentChoiceSla = TimeSpan.FromMinutes(10) };
        await engine.Gateway.StartAsync("req_term", "res-1");
        await engine.WaitingInAsync("req_term", WorkflowSteps.AwaitResident.Name);

        await engine.Client.TerminateInstanceAsync("req_term", "test");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await engine.Client.WaitForInstanceCompletionAsync("req_term", patience.Token);
        await engine.Gateway.StartAsync("req_term", "res-1");

        Assert.Equal("terminated", (await engine.Gateway.GetAsync("req_term"))?.RuntimeStatus);
        Assert.Single(steps.Steps, WorkflowSteps.Classify.Name);
    }

    [Fact]
    public void The_functions_app_resolves_the_durable_gateway_per_invocation_scope()
    {
        using var host = new FunctionsTestHost();
        using var first = host.Services.CreateScope();
        using var second = host.Services.CreateScope();

        Assert.IsType<DurableWorkflowGateway>(first.ServiceProvider.GetRequiredService<IWorkflowGateway>());
        Assert.Same(first.ServiceProvider.GetRequiredService<IWorkflowGateway>(), first.ServiceProvider.GetRequiredService<IWorkflowStatusReader>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<DurableClientScope>(), second.ServiceProvider.GetRequiredService<DurableClientScope>());
    }

    [Fact]
    public async Task Without_a_bound_client_the_gateway_says_what_is_missing()
    {
        using var host = new FunctionsTestHost();
        using var scope = host.Services.CreateScope();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => scope.ServiceProvider.GetRequiredService<IWorkflowGateway>().StartAsync("req_1", "res-1"));
        Assert.Contains("[DurableClient]", error.Message);
    }
}
